"""Bytes of uploaded files: PDF, images (with EXIF), DOCX, an executable."""

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(kind="png", *, size=(4, 3), exif=None) -> bytes:
    """A real image (publication makes a copy from its pixels); `exif` is a
    PIL.Image.Exif to embed, as a phone's camera would."""
    import io

    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(out, "PNG" if kind == "png" else "JPEG", **options)
    return out.getvalue()


PNG_BYTES = image_bytes("png")
JPEG_BYTES = image_bytes("jpeg")
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def docx_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()
