"""QR codes for the join link, drawn here (no outside QR service)."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def svg(url: str) -> bytes:
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue()


def terminal(url: str) -> str:
    qr = qrcode.QRCode(border=2)
    qr.add_data(url)
    buf = io.StringIO()
    qr.print_ascii(out=buf, invert=True)
    return buf.getvalue()
