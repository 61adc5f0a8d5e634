"""Reports of exports: what a report is about (`parameters`), the data it shows (`gather`), its figures and their
appendix (`figures`), the PDF (`render`, `charts`) and the jobs that produce them (`jobs`)."""
