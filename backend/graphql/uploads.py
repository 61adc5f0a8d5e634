"""File uploads through GraphQL: the `Upload` scalar and the GraphQL multipart request specification.

A client (apollo-upload-client, or `curl`) posts multipart/form-data with three kinds of fields
(https://github.com/jaydenseric/graphql-multipart-request-spec):
- `operations`: the usual JSON body, with null where each file goes (e.g. `"variables": {"file": null}`);
- `map`: JSON from a file field's name to the places it fills, e.g. `{"0": ["variables.file"]}`;
- the files themselves, under those names.

    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/graphql/ \
      -F operations='{"query": "mutation($f: Upload!) { importFileUpload(kind: SUPPLY_MAP, file: $f) { job { id } } }",
                      "variables": {"f": null}}' \
      -F map='{"0": ["variables.f"]}' -F 0=@map.xlsx

`multipart_operations(request)` puts each uploaded file in its place and returns the operations, which the
API view then executes like any JSON body. Files only travel as variables: an `Upload` literal in the query
text is refused.
"""

import json

import graphene
from django.core.files.uploadedfile import UploadedFile
from graphql import GraphQLError

MAX_FILES = 5


class Upload(graphene.Scalar):
    """A file sent with the GraphQL multipart request (as a variable; see README: "Imports")."""

    @staticmethod
    def serialize(value):
        raise GraphQLError("Upload is an input type only.")

    @staticmethod
    def parse_literal(node, _variables=None):
        raise GraphQLError("Files are sent as variables of a multipart request, not written in the query.")

    @staticmethod
    def parse_value(value):
        if not isinstance(value, UploadedFile):
            raise GraphQLError("Expected a file sent with the GraphQL multipart request.")
        return value


class MultipartError(ValueError):
    """The multipart request does not follow the specification; the message says how."""


def multipart_operations(request) -> dict | list | None:
    """The operations of a GraphQL multipart request with its files in place; None for other requests."""
    if request.method != "POST" or "operations" not in request.POST:
        return None
    try:
        operations = json.loads(request.POST["operations"])
        file_map = json.loads(request.POST.get("map") or "{}")
    except ValueError:
        raise MultipartError("The 'operations' and 'map' fields must hold JSON.") from None
    if not isinstance(operations, (dict, list)) or not isinstance(file_map, dict):
        raise MultipartError("'operations' must be a JSON object (or list) and 'map' a JSON object.")
    if len(file_map) > MAX_FILES:
        raise MultipartError(f"At most {MAX_FILES} files can be sent in one request.")
    for name, paths in file_map.items():
        if name not in request.FILES:
            raise MultipartError(f"'map' names the file field '{name}', but no such file was sent.")
        if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
            raise MultipartError(f"'map' must give a list of paths for '{name}'.")
        for path in paths:
            place(operations, path, request.FILES[name])
    return operations


def place(operations, path: str, upload: UploadedFile) -> None:
    """Put `upload` at a dotted path such as `variables.file` or `0.variables.files.1`."""
    *parents, last = path.split(".")
    target = operations
    try:
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = upload
        elif isinstance(target, dict) and last in target:
            target[last] = upload
        else:
            raise KeyError(last)
    except (KeyError, IndexError, ValueError, TypeError):
        raise MultipartError(f"The path '{path}' of 'map' does not lead to a null in 'operations'.") from None
