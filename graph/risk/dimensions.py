"""The two risk dimensions. They are scored side by side and never mixed."""

CHILD_LABOUR = 0
FORCED_LABOUR = 1  # human trafficking is scored here too

DIMENSIONS = (CHILD_LABOUR, FORCED_LABOUR)
DIMENSION_NAMES = {CHILD_LABOUR: "child_labour", FORCED_LABOUR: "forced_labour"}
