"""Media uploads for the generated methods, as googleapiclient's createMethod does them.

Imported only when a call passes ``media_body``.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from email.generator import BytesGenerator
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from typing import TYPE_CHECKING, Any, cast

from googleapiclient import mimeparse
from googleapiclient.errors import MediaUploadSizeError, UnacceptableMimeTypeError, UnknownFileType
from googleapiclient.http import MediaFileUpload, MediaUpload

from . import _googleapiclient as _private

if TYPE_CHECKING:
    from .transport import MethodSpec

logger = logging.getLogger(__name__)


class _BytesGenerator(BytesGenerator):
    # Like discovery._BytesGenerator: keep '\r' in payloads as it is.
    _write_lines = BytesGenerator.write


def prepare(
    spec: MethodSpec,
    media_filename: Any,
    media_mime_type: str | None,
    params: dict[str, Any],
    query: str,
    headers: dict[str, str],
    body: Any,
    base_url: str,
) -> tuple[str, dict[str, str], Any, MediaUpload | None]:
    """Return (url, headers, body, resumable) for a call with ``media_body``."""
    from .transport import urljoin

    if isinstance(media_filename, str):
        if media_mime_type is None:
            logger.warning("media_mime_type argument not specified: trying to auto-detect for %s", media_filename)
            media_mime_type, _ = mimetypes.guess_type(media_filename)
        if media_mime_type is None:
            raise UnknownFileType(media_filename)
        if not mimeparse.best_match([media_mime_type], ",".join(spec.media_accept)):
            raise UnacceptableMimeTypeError(media_mime_type)
        media_upload: MediaUpload = MediaFileUpload(media_filename, mimetype=media_mime_type)
    elif isinstance(media_filename, MediaUpload):
        media_upload = media_filename
    else:
        raise TypeError("media_filename must be str or MediaUpload.")

    size = media_upload.size()
    if size is not None and size > spec.media_max_size > 0:
        raise MediaUploadSizeError(f"Media larger than: {spec.media_max_size}")

    import uritemplate

    url = urljoin(base_url, uritemplate.expand(cast(str, spec.media_path_url), params) + query)
    url = _same_host(url, base_url)
    resumable = None
    if media_upload.resumable():
        url = _private.add_query_parameter(url, "uploadType", "resumable")
        resumable = media_upload
    elif body is None:
        headers["content-type"] = media_upload.mimetype()
        body = media_upload.getbytes(0, media_upload.size())
        url = _private.add_query_parameter(url, "uploadType", "media")
    else:
        body, boundary = _multipart(headers["content-type"], body, media_upload)
        headers["content-type"] = f'multipart/related; boundary="{boundary}"'
        url = _private.add_query_parameter(url, "uploadType", "multipart")
    return url, headers, body, resumable


def _multipart(content_type: str, body: Any, media_upload: MediaUpload) -> tuple[bytes, str]:
    root = MIMEMultipart("related")
    # The root part writes no headers of its own.
    root._write_headers = lambda self: None  # type: ignore[attr-defined]
    part = MIMENonMultipart(*content_type.split("/"))
    part.set_payload(body)
    root.attach(part)
    part = MIMENonMultipart(*media_upload.mimetype().split("/"))
    part["Content-Transfer-Encoding"] = "binary"
    part.set_payload(media_upload.getbytes(0, media_upload.size()))
    root.attach(part)
    # Not as_string(): it mangles lines starting with 'From '.
    out = io.BytesIO()
    _BytesGenerator(out, mangle_from_=False).flatten(root, unixfrom=False)
    return out.getvalue(), str(root.get_boundary())


def _same_host(media_url: str, base_url: str) -> str:
    """discovery._fix_up_media_path_base_url: keep an api_endpoint override's host."""
    import urllib.parse

    media, base = urllib.parse.urlparse(media_url), urllib.parse.urlparse(base_url)
    if media.netloc == base.netloc:
        return media_url
    return urllib.parse.urlunparse(media._replace(netloc=base.netloc))
