"""Every word the minutes print, in one place, marked for the catalogue (zh-CN and en)."""
from __future__ import annotations

from ..i18n import N_, gettext

LABELS = {
    "minutes": N_("Minutes"),
    "public_version": N_("Public version: private residents' names are masked"),
    "internal_version": N_("Internal version: not for public display"),
    "meeting": N_("Meeting"),
    "form": N_("Form"),
    "date": N_("Date"),
    "scheduled": N_("Scheduled"),
    "started": N_("Started"),
    "ended": N_("Ended"),
    "still_open": N_("not closed yet"),
    "place": N_("Place"),
    "moderator": N_("Moderator"),
    "recorder": N_("Recorder"),
    "language": N_("Language"),
    "time_zone": N_("Times are in the time zone {zone}."),
    "attendance": N_("Attendance"),
    "category": N_("Category"),
    "present": N_("Present"),
    "invited": N_("Invited"),
    "absent": N_("Absent"),
    "walk_ins": N_("Walk-ins"),
    "names": N_("Present, by name"),
    "attendance_summary": N_("{total} present ({voters} voting, {observers} observing); {invited} invited, "
                             "{absent} absent; {walk_ins} walk-ins."),
    "absent_people": N_("Invited but absent"),
    "observer": N_("observer"),
    "walk_in": N_("walk-in"),
    "quorum": N_("Quorum"),
    "quorum_more_than_half": N_("more than half of the {members} members"),
    "quorum_two_thirds": N_("at least two thirds of the {members} members"),
    "quorum_line": N_("Rule: {rule}; {required} needed, {present} present."),
    "quorum_met": N_("The quorum is met."),
    "quorum_not_met": N_("The quorum is not met."),
    "agenda": N_("Agenda"),
    "item": N_("Item {n}"),
    "background": N_("Background"),
    "speeches": N_("Speeches"),
    "no_speeches": N_("Nobody spoke on this item."),
    "no_summary": N_("(no summary recorded)"),
    "speaking_now": N_("still speaking"),
    "opinions": N_("Written opinions"),
    "no_opinions": N_("No approved written opinions."),
    "opinions_hidden": N_("Not approved for display: {hidden}; not moderated: {unmoderated}."),
    "polls": N_("Straw polls"),
    "question": N_("Question"),
    "option": N_("Option"),
    "votes": N_("Votes"),
    "phones": N_("Phones"),
    "hands": N_("Show of hands"),
    "share": N_("Share"),
    "poll_summary": N_("{total} votes: {ballots} from phones, {hands} counted by show of hands."),
    "secret_poll": N_("Secret ballot: counted from the ballot box when it closed; every ballot is listed below by "
                      "its receipt, which only its voter holds"),
    "named_poll": N_("Named vote (roll call): each voter's choice is listed below"),
    "ordinary_poll": N_("Poll: the totals are public, each voter's choice is not"),
    "changeable_poll": N_("votes could be changed until it closed; each voter's last one counts"),
    "receipts": N_("Ballots by receipt code: anyone can count them again, and each voter can find their own"),
    "receipt": N_("Receipt code"),
    "ballot": N_("Ballot"),
    "roll": N_("Each voter's vote"),
    "voter": N_("Voter"),
    "by_proxy": N_("{name} (by written proxy)"),
    "rated": N_("{name}: {rating}"),
    "blank_ballot": N_("blank ballot"),
    "poll_still_open": N_("This poll was still open when the minutes were generated."),
    "by_category": N_("Phone ballots by category"),
    "few_voters": N_("<3"),
    "few_voters_hidden": N_("Public version: a category in which fewer than 3 voted by phone is shown as <3, so that "
                            "nobody's vote can be inferred; the totals above include them."),
    "hands_corrected": N_("Show-of-hands count corrected: was {before}, now {after}; reason: {reason}"),
    "hands_corrected_no_reason": N_("Show-of-hands count corrected: was {before}, now {after}"),
    # the fair floor (schema 5)
    "floor_policy": N_("Order of the floor: {policy}."),
    "floor_changed": N_("Changed during the meeting: {changes}."),
    "floor_change": N_("{at} {policy}"),
    "floor_limits": N_("Limits: {limits}."),
    "limit_person_speeches": N_("{n} speeches a person"),
    "limit_person_seconds": N_("{time} a person"),
    "limit_category_seconds": N_("{time} a category"),
    "limit_side_seconds": N_("{time} a side"),
    "limit_reply_seconds": N_("{time} a direct reply"),
    "floor_moves": N_("The moderator moved {n} request(s) by hand: {list}."),
    "floor_move": N_("{who} to place {to} at {at}"),
    "floor_no_moves": N_("The moderator moved nobody by hand."),
    "limits_reached": N_("Speeches past a limit (flagged, not cut off): {list}."),
    "limit_reached": N_("no. {speech} ({who}: {over})"),
    "over_time": N_("own speaking time"),
    "over_person_speeches": N_("speeches a person"),
    "over_person_seconds": N_("time a person"),
    "over_category_seconds": N_("time of the category"),
    "over_side_seconds": N_("time of the side"),
    "replies_count": N_("Direct replies: {n}."),
    "replies_to": N_("replies to no. {n}"),
    "over_note": N_("past the limit: {list}"),
    "policy_first_come": N_("first come, first served"),
    "policy_unheard_people": N_("those who have not spoken first"),
    "policy_unheard_categories": N_("categories not yet heard first"),
    "policy_alternate": N_("for and against in turn"),
    # proxies (schema 4)
    "proxies": N_("Written proxies"),
    "proxy_line": N_("{principal}: represented by {holder}"),
    "proxy_lapsed": N_("came in person: the proxy lapsed"),
    "proxy_withdrawn": N_("withdrawn"),
    # binding polls (schema 4)
    "rule_line": N_("Binding vote. Passes when {rule}."),
    "quorum_at_open": N_("Quorum when the vote opened: {present} of {members} members present, {required} needed ({met})."),
    "quorum_overridden": N_("Opened without quorum; the moderator's reason: {reason}"),
    "passed": N_("Result: passed"),
    "not_passed": N_("Result: not passed"),
    "bad_figures": N_("The figures cannot be counted under this rule ({error}): not passed."),
    "met": N_("met"), "not_met": N_("not met"),
    "check_quorum": N_("Quorum at the close: {have} of {base} members present, {need} needed: {met}"),
    "check_approval": N_("In favour: {have} of {base}, {need} needed: {met}"),
    "check_participation_owners": N_("Owners taking part: {have} of {base}, {need} needed: {met}"),
    "check_participation_area": N_("Area taking part: {have} of {base} m², {need} m² needed: {met}"),
    "check_approval_owners": N_("Owners in favour: {have} of {base} taking part, {need} needed: {met}"),
    "check_approval_area": N_("Area in favour: {have} of {base} m² taking part, {need} m² needed: {met}"),
    "staff_ballots": N_("{n} of the ballots were entered by staff for voters without a phone."),
    "entered_by_staff": N_("entered by staff on behalf"),
    "checked_in_by_staff": N_("these {n}: entered by staff on behalf"),
    "chart_in_other_formats": N_("The chart is in the HTML, PDF and Word versions."),
    "objections": N_("Objections and explanations"),
    "reason": N_("Reason"),
    "raised_at": N_("Raised at"),
    "explanation": N_("Explanation"),
    "explained_by": N_("by {by}, {at}"),
    "no_explanation": N_("No explanation given yet."),
    "objector_response": N_("Objector's response"),
    "raised_in_publicity": N_("raised in the publicity period"),
    "requested_explanation": N_("explanation requested by one who {basis}"),
    "voted_against": N_("voted against in the poll “{polls}”"),
    "spoke_against": N_("spoke against"),
    "objection_open": N_("open"),
    "objection_closed": N_("explained"),
    "open_objections": N_("Open objections: {n}. They stay open until they are explained and the objector "
                          "accepts the explanation."),
    "outcome": N_("Outcome"),
    "no_outcome": N_("No outcome recorded."),
    "consultation_opinion": N_("Consultation opinion"),
    "action": N_("Action"),
    "owner": N_("Owner"),
    "due": N_("Due"),
    "heard": N_("Who was heard"),
    "speaking_time": N_("Speaking time"),
    "speakers": N_("Speakers"),
    "heard_summary": N_("{speeches} speeches, {time} in all."),
    "silent_categories": N_("Present but did not speak: {list}."),
    "everyone_heard": N_("Every category present spoke."),
    "signatures": N_("Signatures"),
    "signature": N_("Signature"),
    "record": N_("The record"),
    "record_intro": N_("These minutes are generated from the meeting's append-only record and show it as of "
                       "{generated}. Explanations and answers added later appear in minutes generated later."),
    "meeting_id": N_("Meeting id"),
    "events": N_("Events"),
    "last_hash": N_("Hash of the last event"),
    "generated_at": N_("Generated at"),
    "verify_hint": N_("Anyone can check these minutes against the record: yishi verify {id} --minutes FILE, "
                      "or {url}."),
    "downloads": N_("Download"),
    "verify_link": N_("Check against the record"),
    "print_page": N_("The print page of these minutes"),
    "page": N_("Page"),
    "page_of": N_("Page {page} of {pages}"),
    # times: Asia/Shanghai is named as the notice board names it
    "time_zone_beijing": N_("Times are Beijing time."),
    "beijing_time": N_("Beijing time"),
    # an item sent on to another meeting (ItemEscalated, EscalationDecided)
    "sent_on": N_("Sent on to a {form} (meeting {meeting}) on {date}: {reason}"),
    "decided_there": N_("Decided there: {outcome}."),
    "entrusted": N_("A matter entrusted to this consultation by {body}."),
    # an item added during the meeting (ItemAdded), and the topic for consultation it takes up (TopicLinked)
    "added_during": N_("Added to the agenda during the meeting (a motion from the floor) at {time}: {reason}"),
    "no_reason_given": N_("no reason given"),
    "topic_from": N_("Topic proposed by {source} ({proposer}); kind: {kind}."),
    "petition_residents": N_("Co-signed by {signatures} residents; one tenth of the adult registered residents was {needed}."),
    "petition_representatives": N_("Co-signed by {signatures} representatives; one fifth of them was {needed}."),
    "petition_adults": N_("Co-signed by {signatures} residents; one tenth of the adult residents was {needed}."),
    "petition_reached": N_("The petition reached its threshold: the topic had to be consulted on."),
    # the opinions gathered on the topic in advance (征求意见, schema 9: item.topic.opinions)
    "advance_opinions": N_("Opinions gathered in advance, {opens} to {ends}: {n} statements ({online} online, {paper} on "
                           "paper, {phone} by telephone)."),
    "advance_hidden": N_("{n} abusive statements were hidden by the office and are not reported."),
    "advance_statement": N_("{n}. “{text}” ({name}, {categories}; {channel}): {agree} agree, {disagree} disagree."),
    "advance_by_category": N_("By category: {counts}."),
    "advance_category": N_("{category} {agree} agree, {disagree} disagree"),
    "advance_consensus": N_("Every category that took a stance agrees."),
    "advance_divided": N_("This divides the categories."),
    "reported": N_("Reported to {body} on {date}: {text}"),
    "replied": N_("Reply from {body} on {date}: {text}"),
    "awaiting_reply": N_("Awaiting the reply."),
    "multiple_kind": N_("multiple choice (at most {max} per voter)"),
    "ranking_kind": N_("ranking ({method})"),
    "evaluated": N_("Evaluated"),
    "not_rated": N_("not rated"),
    "satisfaction_rate": N_("satisfaction rate"),
    "satisfaction_formula": N_("Satisfaction rate = (satisfied + basically satisfied) / those who rated, rounded half up "
                               "to one decimal."),
    "borda_points": N_("Borda count (the first of n options n-1 points, the next n-2 …): {points}."),
    "option_points": N_("{option} {n} points"),
    "option_votes": N_("{option} {n}"),
    "runoff_round": N_("Round {n}: {counts}; exhausted ballots {exhausted}."),
    "eliminated": N_("Eliminated: {options}."),
    "ranked_first": N_("Ranked first: {options}."),
    "ranked_tie": N_("Tied first: {options}."),
    "no_ranking": N_("Nobody ranked the options."),
    # at a ranking chart's bar ends
    "chart_points": N_("{n} points"),
    "chart_out_in_round": N_("out in round {n}"),
    "sent_on_board": N_("Sent on to a {form}"),
    "came_from": N_("Sent here from the meeting"),
    # a decision corrected after the meeting (DecisionCorrected)
    "corrected": N_("Corrected on {date} by decision of {by}: {outcome}."),
    "correction_reason": N_("Reason for the correction"),  # not "Reason": that one is an objection's
    "corrected_opinion": N_("Consultation opinion as corrected"),
    # the notice board (公示): the public version as printed and pinned up
    "public_notice": N_("Public notice"),
    "notice": N_("Public notice and feedback"),
    "notice_period": N_("Publicity period: {start} to {end} ({days} days)."),
    "feedback": N_("Questions or objections to these minutes: please raise them with the {issuer} within the "
                   "publicity period, in writing or in person."),
    "check_scan": N_("To check that these minutes match the meeting's record, scan the QR code or open {url}."),
    "check_open": N_("To check that these minutes match the meeting's record, open {url}."),
    "qr_caption": N_("Scan to check against the record"),
    "seal": N_("Seal"),  # the space left for it
    "sealed": N_("seal"),  # after the issuer's name: where the seal goes
    "residents_committee": N_("residents' committee"),
    "villagers_committee": N_("villagers' committee"),
    # the verification page (GET /meetings/{id}/verify in a browser)
    "verify_title": N_("Check a meeting's record"),
    "verify_intro": N_("Every change in a meeting is written as an event to a record that is only ever added to; "
                       "each event carries the hash of the one before it, so a change to any event shows. This "
                       "page has just recomputed the whole chain."),
    "record_intact": N_("The record is intact: {events} events, none changed, removed, inserted or moved."),
    "record_broken": N_("The record is NOT intact: event {seq} is the first bad one: {detail}."),
    "record_good_up_to": N_("Events 1 to {events} check out."),
    "record_none": N_("Nothing before it checks out."),
    "held": N_("Held"),
    "events_stored": N_("Events stored"),
    "events_intact": N_("Events that check out"),
    "checked_at": N_("Checked at"),
    "public_minutes": N_("The public minutes"),
    "check_file": N_("Check a minutes file"),
    "check_file_hint": N_("Every minutes file (PDF, Word, HTML, Markdown or JSON) states the record it was "
                          "generated from. Choose one to see whether the record still says the same."),
    "minutes_file": N_("Minutes file"),
    "check_button": N_("Check the file"),
    "file_result": N_("The file you chose"),
    "file_matches": N_("This file matches the record: it was generated from event {events}, whose hash is {hash}."),
    "file_newer": N_("{n} events were recorded after this file was generated: minutes generated now would show them."),
    "file_differs": N_("This file does NOT match the record:"),
    "file_format": N_("Format"),
    "file_content_checked": N_("Every field of the file was recomputed from the record and compared."),
    "file_stamp_checked": N_("The file was checked by the record it states: the meeting, the number of events and "
                             "the hash of the last one."),
    "no_file": N_("Choose a minutes file to check."),
    "file_too_large": N_("The file is too large: at most {mb} MB."),
    "verify_cli": N_("On the computer that holds the meeting's data: yishi verify {id} --minutes FILE"),
    "as_json": N_("The same as JSON"),
    # a hearing's record (听证笔录; schema 9, hearing)
    "hearing_record": N_("Hearing record"),
    "hearing_stages": N_("Stages: {stages}."),
    "hearing_times": N_("Each party's testimony: {testimony} unless set for the party; closing statement: {closing}."),
    "hearing_party_for": N_("{kind}: {speaks_for}; side: {side}."),
    "hearing_party_concerned": N_("A party concerned; side: {side}."),
    "hearing_party_summary": N_("Registered to say: {summary}"),
    "hearing_registered": N_("Registered {at}, by staff."),
    "hearing_registered_self": N_("Registered {at}, on their own phone."),
    "hearing_withdrawn": N_("Withdrew {at}: {reason}"),
    "hearing_part": N_("{part} (speech {number}): from {start}, {duration} of {allotted}."),
    "hearing_part_over": N_("went past its time"),
    "hearing_notes": N_("Recorded: {notes}"),
    "hearing_no_notes": N_("No notes were recorded."),
    "hearing_not_heard": N_("{part}: not heard."),
    "hearing_questions": N_("Questions"),
    "hearing_no_questions": N_("No questions were asked."),
    # the notice given before the meeting (会议通知) and the replies (schema 9, meeting.notice)
    "meeting_notice": N_("Meeting notice"),  # the notice before the meeting (会议通知), not the publicity notice
    "notice_told": N_("{told} of the {invitees} invitees were told of the meeting in advance: {ways}."),
    "notice_none": N_("No notice to the invitees was recorded."),
    "notice_lead_starts_at": N_("The first notice went out {days} days and {hours} hours before the scheduled start."),
    "notice_lead_opening": N_("The first notice went out {days} days and {hours} hours before the meeting opened."),
    "notice_replies": N_("Replies: {coming} coming, {not_coming} not coming, {proxy} sending a proxy, {none} no reply."),
    "way_slip": N_("{n} handed their slip"),
    "way_call": N_("{n} by telephone"),
    "way_message_group": N_("{n} in a message group"),
    "way_posted": N_("{n} by the notice board"),
}

WORDS = {
    # forms
    "council": N_("residents' council"), "hearing": N_("public hearing"), "owners": N_("owners' consultation"),
    "evaluation": N_("democratic evaluation"), "dialogue": N_("open dialogue"), "group": N_("resident group meeting"),
    "assembly": N_("residents' assembly"), "representatives": N_("representatives' assembly"),
    "board": N_("residents' board"),
    # a village's own words for them (facilitation/forms.py WORDINGS): key@village
    "council@village": N_("villagers' council"), "group@village": N_("villager group meeting"),
    "assembly@village": N_("villagers' assembly"), "representatives@village": N_("villagers' representatives' assembly"),
    "board@village": N_("villagers' board"), "none@village": N_("no consensus: put to the villagers' assembly"),
    # stances and kinds of request
    "for": N_("for"), "against": N_("against"), "question": N_("asks a question"), "other": N_("other"),
    "speech": N_("speech"), "point_of_order": N_("point of order"), "reply": N_("direct reply"),
    # a hearing's parts, stages and whom a party speaks for (facilitation/hearing.py)
    "testimony": N_("testimony"), "closing": N_("closing statement"),
    "stage_explain": N_("the procedure explained"), "stage_plan": N_("the plan presented"),
    "stage_testimony": N_("testimonies"), "stage_questions": N_("questions"), "stage_closing": N_("closing statements"),
    "stage_close": N_("close"),
    "for_concerned": N_("a party concerned"), "for_group": N_("for a group"), "for_building": N_("for a building's residents"),
    "for_organisation": N_("for an organisation"),
    # poll options with fixed words
    "yes": N_("yes"), "no": N_("no"), "abstain": N_("abstain"),
    "satisfied": N_("satisfied"), "basically_satisfied": N_("basically satisfied"), "dissatisfied": N_("dissatisfied"),
    "yes_no_abstain": N_("yes / no / abstain"), "rating": N_("rating"), "single": N_("single choice"),
    "borda": N_("Borda count"), "instant_runoff": N_("instant runoff"), "evaluation": N_("democratic evaluation"),
    # outcomes
    "consensus": N_("consensus"), "partial": N_("partial consensus"),
    "none": N_("no consensus: put to the residents' assembly"), "deferred": N_("deferred"),
    # the objector's word
    "answered": N_("accepts the explanation"), "still_objects": N_("still objects"),
    "no_response": N_("no response yet"),
    # languages
    "zh-CN": N_("Chinese"), "en": N_("English"),
    # a topic's kind and source (facilitation/topics.py)
    "kind_legal": N_("a matter the law requires consultation on"), "kind_policy": N_("carrying out a policy"),
    "kind_planning": N_("plans, works and large funds"), "kind_charter": N_("residents' charter or village rules"),
    "kind_urgent": N_("an urgent problem or a dispute"), "kind_other": N_("other public affairs"),
    "source_party": N_("the community Party organisation"), "source_committee": N_("the residents' or villagers' committee"),
    "source_parties": N_("a party concerned"), "source_residents": N_("residents"),
    "source_township": N_("the township or street office"),
    # who gave an opinion in advance (facilitation/advance_opinions.py), and how it came
    "opinion_registered": N_("registered resident"), "opinion_non_registered": N_("non-registered resident"),
    "opinion_owner": N_("flat owner"), "opinion_representative": N_("representative"),
    "channel_online": N_("online"), "channel_paper": N_("on paper"), "channel_phone": N_("by telephone"),
}


class Labels:
    """`L.attendance` or `L("item", n=2)`: the label in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getattr__(self, key: str) -> str:
        if key not in LABELS:
            raise AttributeError(key)
        return gettext(self.lang, LABELS[key])

    def __call__(self, key: str, **params: object) -> str:
        return gettext(self.lang, LABELS[key], **params)

    def worded(self, key: str, wording: str | None) -> str:
        """`word`, in a village's own words where it has them (村民会议 for 居民会议)."""
        return self.word(f"{key}@{wording}" if f"{key}@{wording}" in WORDS else key)

    def word(self, key: str) -> str:
        """A translated key (form, stance, option, outcome …), or the key itself if it is not one."""
        return gettext(self.lang, WORDS[key]) if key in WORDS else key
