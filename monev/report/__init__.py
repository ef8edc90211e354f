"""The meeting pack ('Bahan Paparan Monev'): what the slides say, and the same slides as PPTX and as PDF.

``content`` builds the slides as data (``build_meeting_pack``); ``pptx`` and ``pdf`` write them out with the
positions and sizes of ``layout``, so that both files say and show the same.
"""

from monev.report.content import MeetingPack, build_meeting_pack
from monev.report.pdf import to_pdf
from monev.report.pptx import to_pptx

__all__ = ["MeetingPack", "build_meeting_pack", "to_pdf", "to_pptx"]
