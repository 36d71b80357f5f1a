"""`covthemes diff`: which themes cover the lines a change touched.

- `covthemes.diff.changed`: the changed statements per theme, through diff-cover;
- `covthemes.diff.delta`: what moved against a base branch's `themes.json`;
- `covthemes.diff.output`: the JSON document and the markdown;
- `covthemes.diff.command`: the verb's steps and its options.
"""
