"""Data: the dataset version in use, uploads that become new versions, versions and their history, the
template and the file format, the region boundaries."""

from components.boundary_panel import render_boundary_panel
from components.data_panels import render_current_data, render_downloads, render_format_help, render_upload
from components.page import render_page_header, setup_page
from components.versions_panel import render_audit, render_versions

context = setup_page("nav.data")
render_page_header(context, "data.title")
render_current_data(context)
render_upload(context)
render_versions(context)
render_audit(context)
render_downloads(context)
render_format_help(context)
render_boundary_panel(context)
