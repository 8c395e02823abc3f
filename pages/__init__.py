"""The site's own pages, above every app: home, help, health, error pages,
the navigation each person sees and "your data"."""
