"""Component builders: plain functions returning Dash components, testable without a browser."""
