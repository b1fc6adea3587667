"""Downloadable files: the Excel workbook, the deck as PPTX and PDF, the one-page evaluation PDF."""
