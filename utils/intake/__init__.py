"""Intake: everything that brings data in. Reading uploaded files, matching villages, validating,
staging, approving and rolling back programme uploads, and the IDM and boundary imports. No streamlit."""
