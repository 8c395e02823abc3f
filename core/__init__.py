"""Shared building blocks that every app may use and that use no app:
errors, forms and their rendering, dates, uploads, downloads, exports,
paging, caching and request middleware."""
