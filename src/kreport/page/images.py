"""Draw a logo's pixels on the reportlab canvas as an image XObject, compressed once per process.

reportlab's ``drawImage`` makes the XObject anew for every document: it converts the pixels,
digests them for the XObject's name and deflates them (a millisecond for a 240-pixel logo,
more than the rest of the logo's drawing). A batch draws the same logo on page after page, so
the XObject is made once per logo and a copy is registered in each document, exactly where
and as ``drawImage`` would: the same name, objects, order and bytes.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from ..model import Logo


@functools.lru_cache(maxsize=8)
def _xobject(logo: Logo) -> tuple[str, Any]:
    """(name, image XObject) as ``drawImage`` makes them for ``logo``; the XObject
    still holds its soft mask (``_smask``), as reportlab's does before it is registered."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader, _digester
    from reportlab.pdfbase.pdfdoc import PDFImageXObject

    reader = ImageReader(Image.frombytes(logo.mode, logo.size, logo.pixels))
    mask = "auto" if logo.mode == "RGBA" else None
    rgb = reader.getRGBData()  # sets _dataA, the alpha channel, as drawImage relies on
    alpha = reader._dataA
    mdata = alpha.getRGBData() if mask == "auto" and alpha else str(mask).encode("utf8")
    name = _digester(rgb + mdata)
    obj = PDFImageXObject(name, reader, mask=mask)
    obj.name = name
    return name, obj


def draw_logo(canv: Any, logo: Logo, width: float, height: float) -> None:
    """What ``canv.drawImage(ImageReader(pixels), 0, 0, width, height, mask=...)`` draws."""
    from reportlab.pdfbase.pdfdoc import PDFObjectReference

    name, template = _xobject(logo)
    doc = canv._doc
    canv._currentPageHasImages = 1
    reg = doc.getXObjectName(name)
    if not doc.idToObject.get(reg, None):
        img = copy.copy(template)  # registering names the object: never the cached one
        smask = img.__dict__.pop("_smask", None)
        canv._setXObjects(img)
        doc.Reference(img, reg)
        doc.addForm(name, img)
        if smask:
            smask = copy.copy(smask)
            mreg = doc.getXObjectName(smask.name)
            if not doc.idToObject.get(mreg, None):
                canv._setXObjects(smask)
                img.smask = doc.Reference(smask, mreg)
            else:
                img.smask = PDFObjectReference(mreg)
    canv.saveState()
    canv.translate(0, 0)
    canv.scale(width, height)
    canv._code.append(f"/{reg} Do")
    canv.restoreState()
    canv._formsinuse.append(name)


__all__ = ["draw_logo"]
