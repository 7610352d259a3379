"""Behaviour of googleapiclient's dynamic client that the generated code copies.

Each constant reproduces one rule of ``googleapiclient.discovery`` that is not
visible in a discovery document. Keep the reason next to each one: these are
what make the generated client a drop-in replacement.
"""

from __future__ import annotations

# createMethod's docstring falls back to this when a method has no description.
DEFAULT_METHOD_DOC = "A description of how to use this function"

# Parameters every method accepts although no document lists them
# (discovery.STACK_QUERY_PARAMETERS, added in _fix_up_parameters, iterated as a
# frozenset: their order never shows, only their presence).
STACK_QUERY_PARAMETERS = ("pp", "strict", "trace", "userip")

# Methods that carry a request body (discovery.HTTP_PAYLOAD_METHODS): a
# ``request`` on any other HTTP method is ignored, so no ``body`` argument.
HTTP_PAYLOAD_METHODS = frozenset({"PUT", "POST", "PATCH"})

# The descriptions _fix_up_parameters and _fix_up_media_upload give the
# arguments they add; they show in docstrings.
BODY_DESCRIPTION = "The request body."
MEDIA_BODY_DESCRIPTION = "The filename of the media request body, or an instance of a MediaUpload object."
MEDIA_MIME_TYPE_DESCRIPTION = "The MIME type of the media request body, or an instance of a MediaUpload object."

# discovery._PAGE_TOKEN_NAMES: the names that make a method pageable
# (``<method>_next`` exists) and that may be omitted although required on
# methods whose response is not paged ("temporary workaround for non-paging
# methods incorrectly requiring page token parameter", drive.changes.watch).
PAGE_TOKEN_NAMES = ("pageToken", "nextPageToken")

# Docstrings of the members every dynamic Resource has; copied from
# googleapiclient at generation time so the pages and __doc__ match it.
RESOURCE_ACCESSOR_DOC = "A collection resource."
