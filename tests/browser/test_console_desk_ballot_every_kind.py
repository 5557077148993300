"""The ballot of someone without a phone, entered on the moderator's console in every kind of poll:
staff choose the person and tap what they say (an option; the options ticked; an order; a rating of
each one evaluated); the console says the ballot back, and only once confirmed is it entered and
counted. Before that a choice can be made again, and multiple choice stops at its limit as a phone
does."""
from __future__ import annotations

from typing import Any

from playwright.async_api import Locator, Page, expect

from support.browser import poll_room

READ_BACK = "请向本人复述，本人确认后再录入；录入后不能更改。"


async def open_poll(console: Page, question: str, kind: str, options: list[str] | None = None, **extra: str) -> Locator:
    """The moderator opens a poll (its count in the room as ballots come in) and gets its card."""
    await console.locator("#poll-question").fill(question)
    await console.locator("#poll-kind").select_option(kind)
    if options:
        await console.locator("#poll-options").fill("\n".join(options))
    if "max_choices" in extra:
        await console.locator("#poll-max").fill(extra["max_choices"])
    if "method" in extra:
        await console.locator("#poll-method").select_option(extra["method"])
    await console.locator("#poll-hide").uncheck()
    await console.locator("#poll-form button[type=submit]").click()
    poll = console.locator("#polls .poll", has_text=question)
    await expect(poll.locator(".question")).to_have_text(question)
    return poll


async def desk_for(poll: Locator, name: str) -> Locator:
    """The poll's desk ballot, opened, with the person chosen."""
    desk = poll.locator(".desk-ballot")
    await desk.locator("summary").click()
    await desk.locator("select.voter").select_option(label=f"{name} · 户籍居民")
    return desk


async def test_one_choice_is_said_back_and_entered_once_confirmed(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        yes_no = await open_poll(console, "是否同意更换小区门禁系统", "yes_no_abstain")
        desk = await desk_for(yes_no, "钱大爷")
        await expect(desk.locator(".desk-confirm")).to_be_hidden()  # nothing chosen, nothing to confirm
        await desk.locator('button[data-option="1"]').click()
        await expect(desk.locator(".desk-said")).to_have_text(f"钱大爷 的选票：反对。{READ_BACK}")
        await expect(yes_no.locator(".rows .count")).to_have_text(["0", "0", "0"])  # said back, not sent
        # he meant to agree: chosen again before anything is sent
        await desk.locator("button.change").click()
        await expect(desk.locator(".desk-confirm")).to_be_hidden()
        await desk.locator('button[data-option="0"]').click()
        await expect(desk.locator('.desk-choices button[aria-pressed="true"]')).to_have_text(["赞成"])
        await expect(desk.locator(".desk-said")).to_have_text(f"钱大爷 的选票：赞成。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(console.locator("#notice")).to_have_text("已代为投票。")
        await expect(yes_no.locator(".rows .count")).to_have_text(["1", "0", "0"])
        await expect(wall.locator('#poll .row[data-option="0"] .count').first).to_have_text("1")
        await expect(desk.locator("select.voter")).to_have_value("")  # ready for the next person
        await expect(desk.locator(".desk-confirm")).to_be_hidden()

        rating = await open_poll(console, "对物业服务的满意度", "rating")
        desk = await desk_for(rating, "钱大爷")
        await desk.locator('button[data-option="1"]').click()
        await expect(desk.locator(".desk-said")).to_have_text(f"钱大爷 的选票：基本满意。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(rating.locator(".rows .count")).to_have_text(["0", "1", "0"])

        single = await open_poll(console, "充电桩装在哪里", "single", ["东门停车场", "3号楼北侧", "地下车库"])
        desk = await desk_for(single, "钱大爷")
        await desk.locator('button[data-option="2"]').click()
        await expect(desk.locator(".desk-said")).to_have_text(f"钱大爷 的选票：地下车库。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(single.locator(".rows .count")).to_have_text(["0", "0", "1"])
        await expect(single.locator(".total")).to_have_text("共 1 票：手机 1，举手 0")
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_several_marks_are_said_back_and_entered_as_one_ballot(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        works = ["加装电梯", "改造雨污管网", "增设充电桩", "修缮屋顶"]
        multiple = await open_poll(console, "今年优先办理哪两件实事？", "multiple", works, max_choices="2")
        desk = await desk_for(multiple, "钱大爷")
        await expect(desk.locator(".desk-said")).to_have_text(  # nothing ticked yet: a blank ballot, said so
            f"钱大爷 的选票：不选任何一项（空白票）（0 项，最多可选 2 项）。{READ_BACK}")
        for i in (2, 0, 3):  # the third is one too many, as on a phone
            await desk.locator(f'button[data-option="{i}"]').click()
        await expect(console.locator("#notice")).to_have_text("最多只能选 2 项：请先取消一项。")
        await expect(desk.locator(".desk-said")).to_have_text(
            f"钱大爷 的选票：加装电梯、增设充电桩（2 项，最多可选 2 项）。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(multiple.locator(".rows .count")).to_have_text(["1", "0", "1", "0"])
        await expect(multiple.locator(".progress")).to_contain_text("已投票 1 /")

        plans = ["一次性补偿", "分摊减免", "绿化补偿"]
        ranking = await open_poll(console, "三个补偿方案，您的先后？", "ranking", plans, method="borda")
        await expect(ranking.locator(".hand-count")).to_be_hidden()  # an order is not shown by hands
        desk = await desk_for(ranking, "钱大爷")
        await expect(desk.locator(".desk-hint")).to_have_text("按本人所说的先后依次点选；再点一次可取消。")
        for i in (2, 0, 1):
            await desk.locator(f'button[data-option="{i}"]').click()
        await desk.locator('button[data-option="0"]').click()  # taken out again: he ranks only two
        await expect(desk.locator('button[data-option="2"]')).to_have_attribute("data-rank", "1")
        await expect(desk.locator('button[data-option="1"]')).to_have_attribute("data-rank", "2")
        await expect(desk.locator(".desk-said")).to_have_text(f"钱大爷 的选票：绿化补偿 > 分摊减免。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(ranking.locator(".rows .count")).to_have_text(["0", "0", "1"])
        await expect(ranking.locator(".ranked p")).to_have_text(["波达计分：绿化补偿 2 分、分摊减免 1 分、一次性补偿 0 分",
                                                                 "排名第一：绿化补偿"])

        evaluated = ["王秀兰（主任）", "陈明（委员）", "物业服务"]
        evaluation = await open_poll(console, "2026年度社区工作民主评议", "evaluation", evaluated)
        desk = await desk_for(evaluation, "钱大爷")
        rows = desk.locator(".rate-row")
        await rows.nth(0).locator('button[data-rating="0"]').click()
        await rows.nth(2).locator('button[data-rating="1"]').click()
        await rows.nth(2).locator('button[data-rating="2"]').click()  # changed his mind: 不满意
        await expect(desk.locator(".desk-said")).to_have_text(
            f"钱大爷 的选票：王秀兰（主任）：满意、陈明（委员）：未评、物业服务：不满意。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        table = evaluation.locator("table.evaluation")
        await expect(table.locator("tr").nth(1).locator("td")).to_have_text(["1", "0", "0", "0", "100.0%"])
        await expect(table.locator("tr").nth(2).locator("td")).to_have_text(["0", "0", "0", "1", "—"])
        await expect(table.locator("tr").nth(3).locator("td")).to_have_text(["0", "0", "1", "0", "0.0%"])
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
