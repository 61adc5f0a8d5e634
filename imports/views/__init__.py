"""The HTTP side of imports: the plain endpoints for `curl` and scripts (endpoints.py) and the pages people use
to upload a file, follow it and commit it (the other modules). URLs are in imports/urls.py."""
