"""A topic's material on the pages: the office adds a photo and a PDF to a topic from the
facilitator's page, sees them listed and removes the PDF; the public topics page shows the photo
and no longer the PDF."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.async_api import expect

from support.browser import chromium, new_page

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


async def test_the_office_adds_and_removes_a_topics_material(server: Any, tmp_path: Path) -> None:
    photo = tmp_path / "路口现状.png"
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(out, "PNG")
    photo.write_bytes(out.getvalue())
    (tmp_path / "报价单.pdf").write_bytes(PDF)
    async with server.http() as http:
        r = await http.post("/api/topics", headers={"Authorization": f"Bearer {server.token}"}, json={
            "title": "小区东门路口加装减速带", "kind": "urgent", "source": "committee", "proposer": "居民委员会"})
        assert r.status_code == 201, r.text

    async with chromium() as browser:
        page = await new_page(browser, viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda dialog: dialog.accept())
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        topic = page.locator('#topic-list li[data-topic="t1"]')
        box = topic.locator(".materials-box")
        await expect(box.locator("summary")).to_have_text("议题材料（0 份）")
        await box.locator("summary").click()
        await box.locator("input.material-file").set_input_files([str(photo), str(tmp_path / "报价单.pdf")])
        await expect(box.locator("li.material a")).to_have_text(["路口现状.png", "报价单.pdf"])
        await expect(box.locator("summary")).to_have_text("议题材料（2 份）")
        await box.locator("li.material", has_text="报价单.pdf").locator("button.remove-material").click()
        await expect(box.locator("li.material a")).to_have_text(["路口现状.png"])

        public = await new_page(browser, viewport={"width": 390, "height": 800})
        await public.goto(f"{server.url}/topics?lang=zh-CN")
        shown = public.locator("#topic-t1 .materials")
        await expect(shown.locator("h3")).to_have_text("议题材料")
        await expect(shown.locator("li.photo .name")).to_have_text("路口现状.png")
        assert await shown.locator("li.photo img").evaluate("img => img.complete && img.naturalWidth") == 120
        await expect(shown.locator("li.document")).to_have_count(0)
        assert errors == []
