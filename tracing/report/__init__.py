"""Case and address reports: the evidence document, a self-contained HTML file, a PDF, and their verification."""
