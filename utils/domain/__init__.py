"""Domain vocabulary (lowest layer): region-code rules, the programme's stages, pillars, roles, targets and
IDM statuses, and the one filter state. Imports nothing else from ``utils``; no streamlit, no I/O."""
