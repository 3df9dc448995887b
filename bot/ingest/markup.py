"""HTML to the same Markdown-like text the chunker reads: headings, paragraphs, bullets, tables."""

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "section", "article", "br", "tr", "table", "ul", "ol", "blockquote", "main"}
_SKIP = {"script", "style", "head", "nav", "footer", "noscript", "template"}


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.title = ""
        self.in_title = False
        self.cells: list[str] | None = None
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * max(1, int(tag[1])) + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "table":
            self.rows = 0
            self.out.append("\n\n")
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append("")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif re.fullmatch(r"h[1-6]", tag) or tag in _BLOCKS - {"tr"}:
            self.out.append("\n\n")
        elif tag == "tr" and self.cells is not None:
            self.out.append("\n| " + " | ".join(c.strip() for c in self.cells) + " |")
            if self.rows == 0:  # Markdown needs a rule under the header row
                self.out.append("\n|" + " --- |" * len(self.cells))
            self.rows += 1
            self.cells = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.skip_depth:
            return
        elif self.cells:
            self.cells[-1] += data
        else:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> tuple[str, str]:
    """Return the readable text of an HTML page and its <title>."""
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    text = "".join(builder.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, re.sub(r"\s+", " ", builder.title).strip()
