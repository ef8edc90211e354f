"""Data: the dataset in use, uploading and validating a CSV/XLSX file, the template and the file format."""

from components.data_panels import render_current_data, render_downloads, render_format_help, render_upload
from components.page import render_page_header, setup_page

context = setup_page("nav.data")
render_page_header(context, "data.title")
render_current_data(context)
render_upload(context)
render_downloads(context)
render_format_help(context)
