"""The routine editor: a page to change a routine without YAML, the picker that adds
exercises to it, and the home page's routine actions (new, duplicate, rename, delete,
reset).  Imported when first used, so start-up does not pay for it."""
