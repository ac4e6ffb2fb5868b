"""Published notices (BOAMP, TED, eForms) reading and normalisation, in pure Python.

Pipeline, streaming (memory holds one notice; a BOAMP summary file is read entry by entry):

    decp.sources.iter_members(path)   → (member name, binary stream) for files, .gz, .tar(.gz), .zip
    detect.detect(stream)             → eForms UBL, TED R2.0.9, BOAMP v230 XML, BOAMP API JSON / summary
    eforms / ted_r209 / boamp_xml / boamp_json → Notice (canonical values + quality flags) | Rejection

``reader.read_notices(path)`` chains the steps for the ``import_boamp`` / ``import_ted``
commands. No Django import here: the importer maps ``Notice`` onto the models.
``python -m tremplin.ingest.notices.scan PATH…`` prints what a path holds.
"""

from .model import FLAGS, KINDS, REJECTIONS, Award, Lot, Notice, RawRef, Rejection, Winner
from .reader import read_notices, read_stream

__all__ = [
    "FLAGS",
    "KINDS",
    "REJECTIONS",
    "Award",
    "Lot",
    "Notice",
    "RawRef",
    "Rejection",
    "Winner",
    "read_notices",
    "read_stream",
]
