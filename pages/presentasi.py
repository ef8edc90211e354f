"""Presentasi: the projector view — slides from the live data that follow uploads and scenario changes."""

from components.page import setup_page
from components.presenter import render_presenter

context = setup_page("nav.presenter", sidebar=False)
render_presenter(context)
