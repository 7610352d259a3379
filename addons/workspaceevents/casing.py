"""Google's snake_case request samples, as the typed camelCase bodies the schemas declare.

The same module as ``discovery_runtime.casing``, under the import path
``workspaceevents.casing``::

    from workspaceevents.casing import from_snake_case
    from workspaceevents.v1.schemas import Subscription

    body = from_snake_case(Subscription, {"target_resource": space, "event_types": [...]})
"""

from discovery_runtime.casing import camel_case, from_snake_case

__all__ = ["camel_case", "from_snake_case"]
