"""QR codes for the join link and the minutes' verification link, drawn here (no outside QR service)."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def svg(url: str) -> bytes:
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue()


def png(url: str, box_size: int = 10) -> bytes:
    """The QR code as a PNG, black on white (the PDF and Word minutes: a printer's sharp edges)."""
    qr = qrcode.QRCode(box_size=box_size, border=4)
    qr.add_data(url)
    buf = io.BytesIO()
    qr.make_image().save(buf, format="PNG")
    return buf.getvalue()


def terminal(url: str, encoding: str = "utf-8") -> str:
    """The QR code as text for a dark console: half blocks (two rows a line) where the console's
    encoding has them (UTF-8, cp437), else "##" for each light module and a line per row."""
    qr = qrcode.QRCode(border=2)
    qr.add_data(url)
    try:
        "\u2580\u2584\u2588".encode(encoding)
    except (UnicodeEncodeError, LookupError):  # cp936 (GBK) has no upper half block
        qr.make()
        light = [[not dark for dark in row] for row in qr.get_matrix()]
        return "".join("".join("##" if cell else "  " for cell in row) + "\n" for row in light)
    buf = io.StringIO()
    qr.print_ascii(out=buf, invert=True)
    return buf.getvalue()
