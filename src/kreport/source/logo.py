"""Turn a data file's ``logo`` path into a checked ``Logo``: pixels decoded safely with Pillow.

The one value from a data file that is a path, so it is held tight: relative to the data file's
folder (never absolute), a regular file named .png, .jpg or .jpeg of at most ``MAX_LOGO_BYTES``,
whose content Pillow recognises as PNG or JPEG (no other decoder is tried). The image's size is
read from its header and checked against ``MAX_LOGO_SIDE`` and ``MAX_LOGO_PIXELS`` before a single
pixel is decoded, so a decompression bomb costs nothing. The pixels are then scaled down to
``LOGO_EMBED_SIDE`` and kept as plain bytes: the page embeds them once.

SVG is refused: rendering it safely needs either a renderer of its own (a large attack surface
for a few-kilobyte emblem) or a native library (cairo, resvg) that pip alone cannot promise, and
svglib is LGPL and heavy. Every drawing program exports a PNG.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

from ..model import Logo
from .keys import (
    LOGO_EMBED_SIDE,
    LOGO_SUFFIXES,
    MAX_LOGO_BYTES,
    MAX_LOGO_PIXELS,
    MAX_LOGO_SIDE,
)


class LogoProblem(ValueError):
    """Why a logo cannot be used; the message is for the user, the field is ``logo``."""


def load_logo(value: str, folder: Path | None) -> Logo:
    """The logo named ``value``, relative to ``folder`` (the working folder when None)."""
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        raise LogoProblem(
            "must be a path relative to the data file (an absolute path would not travel "
            "with the file)"
        )
    suffix = PurePosixPath(value).suffix.lower()
    if suffix == ".svg":
        raise LogoProblem("SVG logos are not supported; export the logo as a PNG")
    if suffix not in LOGO_SUFFIXES:
        raise LogoProblem(f"expected a .png, .jpg or .jpeg file, got {value!r}")
    path = (folder or Path.cwd()) / value
    try:
        if not path.is_file():
            raise LogoProblem(f"{value!r} is not a file" if path.exists() else f"no file {value!r}")
        with path.open("rb") as fh:
            data = fh.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise LogoProblem(f"cannot read {value!r}: {exc.strerror or exc}") from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoProblem(f"{value!r} is larger than the {MAX_LOGO_BYTES // 1024} KiB limit")
    return decode(data, value)


def decode(data: bytes, name: str) -> Logo:
    """Decode PNG or JPEG ``data`` within the limits; RGB, or RGBA when it has transparency."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns of sizes between its limits and refuses those above; the size check
            # below is stricter than both, so its message is the one the user gets
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
        with image:
            w, h = image.size  # from the header: nothing decoded yet
            if max(w, h) > MAX_LOGO_SIDE or w * h > MAX_LOGO_PIXELS:
                raise LogoProblem(
                    f"{name!r} is {w} x {h} pixels; at most {MAX_LOGO_SIDE} on a side and "
                    f"{MAX_LOGO_PIXELS:,} in all are accepted"
                )
            if w < 1 or h < 1:
                raise LogoProblem(f"{name!r} has no pixels")
            image.load()
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            mode: Literal["RGB", "RGBA"] = "RGBA" if alpha else "RGB"
            pixels = image.convert(mode)
    except LogoProblem:
        raise
    except UnidentifiedImageError:
        raise LogoProblem(f"{name!r} is not a PNG or JPEG image") from None
    except Image.DecompressionBombError:
        raise LogoProblem(
            f"{name!r} is over {MAX_LOGO_PIXELS:,} pixels; refused before decoding"
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise LogoProblem(f"{name!r} cannot be decoded: {exc}") from None
    if max(pixels.size) > LOGO_EMBED_SIDE:
        pixels.thumbnail((LOGO_EMBED_SIDE, LOGO_EMBED_SIDE), Image.Resampling.LANCZOS)
    if mode == "RGBA" and pixels.getchannel("A").getextrema() == (255, 255):
        pixels, mode = pixels.convert("RGB"), "RGB"  # an alpha channel that hides nothing
    return Logo(mode, (pixels.width, pixels.height), pixels.tobytes())
