"""Streamlit building blocks: page setup and sidebar, cached wrappers of the core, and render_* panels."""
