"""What makes a line of a note read as a heading, shared by the reader and the extractor.

The reader (``reader_text``: a PDF's lines unwrapped) and the extractor's block splitter
(``extract.text``) must agree on how short a capitalised, unpunctuated line is to read as a heading,
or the reader would join lines the splitter then cuts again. The reader must not import the
extractor (spaCy and the rules: about 0.6 s of imports for a file that is only read), so the
number lives here, in a module that imports nothing.
"""

HEADING_WORDS_MAX = 8  # a capitalised line of at most this many words, with no closing punctuation
