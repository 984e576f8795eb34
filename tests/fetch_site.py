"""A fixture county portal on loopback for `gongkai fetch`: tests/fixtures/fetch/.county/.

The files are served as they lie (aiohttp's file responses: ETag, Last-Modified and 304s),
an address with a query from the file ``<path>@<query>``; files under ``gbk/`` go out as GBK
with no charset in the header. The attached Word files are written here with python-docx.
Some addresses misbehave on purpose: a redirect chain, a 429 with Retry-After, a 500 once,
a 500 always. Every request is recorded, so tests can say what was asked and how.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from docx import Document

# Hidden, so that indexing tests/fixtures/ (tests/test_index.py) passes over a site that is not
# all reports; `gongkai index` passes over hidden folders.
FIXTURE = Path(__file__).parent / "fixtures" / "fetch" / ".county"

REDIRECTS = {
    "/old/art_13.html": (301, "/moved/art_13.html"),
    "/moved/art_13.html": (302, "/art/2024/1/25/art_101_13.html"),
}
THROTTLED = {"/art/2024/2/1/art_101_15.html": 1}  # this many 429s first, Retry-After: 7
FLAKY = {"/bm/list_2.html": 1}  # this many 500s first
BROKEN = {"/art/2024/2/2/art_101_16.html"}  # always 500
RETRY_AFTER = "7"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The report only the attached Word file holds (no list or page says these words).
QINGHE = """云岭县青禾镇2023年政府信息公开工作年度报告
本报告由云岭县青禾镇人民政府根据《中华人民共和国政府信息公开条例》编制。
一、总体情况
2023年，青禾镇围绕竹编非遗展馆建设和集镇污水管网改造，主动公开项目进展和资金使用情况。
二、主动公开政府信息情况
本年度主动公开政府信息52条，办理行政处罚3件。
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请2件，予以公开2件。
四、政府信息公开行政复议、行政诉讼情况
本年度未发生政府信息公开行政复议、行政诉讼。
五、存在的主要问题及改进情况
村级公开栏更新不及时，下一步建立月度检查制度。
六、其他需要报告的事项
无。
地址：云岭县青禾镇花溪路8号
联系电话：0871-5550188
"""

BAISHA = """白沙镇2023年政府信息公开工作年度报告
一、总体情况
2023年，白沙镇公开渡口改造和渔民转产补助信息。
二、主动公开政府信息情况
主动公开政府信息24条。
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请1件。
四、政府信息公开行政复议、行政诉讼情况
无。
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。
"""

JINZHU = BAISHA.replace("白沙镇", "金竹镇").replace("渡口改造和渔民转产补助", "楠竹加工园区")


def docx_bytes(text: str) -> bytes:
    """A Word file with one paragraph per line of ``text``."""
    import io

    document = Document()
    for line in text.strip().splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build(root: Path) -> Path:
    """Lay the county's files out under ``root`` (GBK where they are sent as GBK)."""
    shutil.copytree(FIXTURE, root)
    for path in (root / "gbk").iterdir():
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    uploads = root / "uploads"
    (uploads / "2024").mkdir(parents=True, exist_ok=True)
    (uploads / "2024" / "qinghe_2023.docx").write_bytes(docx_bytes(QINGHE))
    (uploads / "baisha_2023.docx").write_bytes(docx_bytes(BAISHA))
    (uploads / "down.jsp@id=7").write_bytes(docx_bytes(JINZHU))
    (uploads / "hongyan_2023.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    (uploads / "tjj_2023.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 60)
    (uploads / "forms").mkdir()
    (uploads / "forms" / "sqb.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1"))
    return root


@dataclass
class Site:
    """The fixture county's files and what was asked of it."""

    root: Path
    requests: list[web.Request] = field(default_factory=list)
    seen: Counter[str] = field(default_factory=Counter)

    def paths(self) -> list[str]:
        """Every address asked for, path and query, in order."""
        return [r.path_qs for r in self.requests]

    def app(self) -> web.Application:
        """The aiohttp app serving the county."""
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one address (misbehaving where the tables above say so)."""
        self.requests.append(request)
        path = request.path
        self.seen[path] += 1
        if path in REDIRECTS:
            status, target = REDIRECTS[path]
            return web.Response(status=status, headers={"Location": target})
        if path in BROKEN or self.seen[path] <= FLAKY.get(path, 0):
            return web.Response(status=500, text="服务器内部错误")
        if self.seen[path] <= THROTTLED.get(path, 0):
            return web.Response(status=429, headers={"Retry-After": RETRY_AFTER})
        name = path.lstrip("/") + (f"@{request.query_string}" if request.query_string else "")
        file = (self.root / name).resolve()
        if not file.is_relative_to(self.root.resolve()) or not file.is_file():
            raise web.HTTPNotFound()
        headers = {}
        if "@" in file.name:  # no suffix to tell the type: say it
            headers["Content-Type"] = DOCX if file.parent.name == "uploads" else "text/html"
        elif file.suffix == ".html" and "gbk" not in file.parts:
            headers["Content-Type"] = "text/html; charset=utf-8"
        return web.FileResponse(file, headers=headers)
