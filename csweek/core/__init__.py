"""Small helpers every app shares (views, CSV, time, navigation); the bottom layer, importing no app."""
