"""Machine translation: the engine interface, the Argos backend and its helpers.

    engine.py    the small interface every engine implements, and model identity
    argos.py     the Argos Translate backend (CTranslate2 + SentencePiece)
    models.py    the project-local package folder: install, list, choose
    masking.py   protected spans (footnote markers, URLs, numbers...) hidden from MT
    cache.py     translations kept per model, so a re-run sends nothing new
    progress.py  a progress bar on a terminal, quiet lines elsewhere

Importing this package is cheap: argostranslate, ctranslate2 and
sentencepiece are imported only when a model is loaded or installed.
"""
