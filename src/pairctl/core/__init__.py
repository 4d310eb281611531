"""The pure core: model, scoring, matching, metrics. No I/O, no printing, no exits."""
