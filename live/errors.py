"""The one place where refusals become messages people can read, in their language."""
from __future__ import annotations

from typing import Any

from .i18n import N_, gettext

MESSAGES = {
    # the meeting
    "no_such_meeting": N_("There is no such meeting."),
    "meeting_exists": N_("This meeting already exists."),
    "meeting_closed": N_("The meeting is closed."),
    "unknown_form": N_("Unknown meeting form: {form}."),
    "unknown_language": N_("Unknown language: {language}."),
    "bad_speaking_time": N_("Speaking time must be between 30 seconds and one hour."),
    "empty_agenda": N_("The agenda needs at least one item."),
    "too_many_items": N_("The agenda can have at most {max} items."),
    "bad_categories": N_("Each stakeholder category needs its own key."),
    "no_such_item": N_("There is no agenda item {item}."),
    "no_current_item": N_("No agenda item is open yet."),
    "unknown_outcome": N_("Unknown outcome: {outcome}."),
    "too_many_actions": N_("An outcome can have at most {max} action items."),
    "too_large": N_("This message is too large: at most {max} KB."),
    "too_fast": N_("Too many actions in a short time: please wait {seconds} s and try again."),
    "too_many_pending": N_("You have {max} opinions waiting for the moderator: please wait until they are read."),
    "too_many_objections": N_("You have {max} objections waiting for an explanation: please wait until they are "
                              "answered."),
    "bad_characters": N_("{field} contains characters that cannot be shown (control or text-direction characters)."),
    "invisible_text": N_("{field} has nothing visible in it."),
    "empty_text": N_("Please fill in: {field}."),
    "text_too_long": N_("Too long: {field} can have at most {max} characters."),
    # people and roles
    "unknown_category": N_("Unknown stakeholder category: {category}."),
    "unknown_role": N_("Unknown role: {role}."),
    "no_such_participant": N_("There is no such participant."),
    "no_such_invitee": N_("This person is not on the list of invited participants."),
    "already_checked_in": N_("This person has already checked in."),
    "code_required": N_("Check in with your personal code (on your invitation slip), or ask at the check-in desk."),
    "bad_code": N_("This code is not valid for this meeting. Check the digits, or ask at the check-in desk."),
    "too_many_code_attempts": N_("Too many wrong codes were typed in this meeting. Please wait a minute, or ask at "
                                 "the check-in desk."),
    "code_for_phones": N_("Codes are typed on the phone; at the desk, find the person in the list."),
    "check_in_held": N_("Your check-in is waiting for the check-in desk to confirm it."),
    "check_in_withdrawn": N_("This check-in is no longer valid. Please check in again, or ask at the desk."),
    "not_held": N_("This check-in is not waiting for the desk."),
    "not_checked_in_now": N_("This person is not checked in now."),
    "merge_same": N_("A check-in cannot be merged with itself."),
    "merge_two_invitees": N_("Both are different people on the list of invited participants: withdraw the wrong "
                             "check-in instead."),
    "roster_too_long": N_("The list of invited participants can have at most {max} names."),
    "principal_here": N_("This member is here in person: they vote themselves."),
    "already_delegated": N_("A proxy for this member is already recorded."),
    "proxy_limit": N_("One person may hold at most {max} proxies in this meeting."),
    "no_such_proxy": N_("There is no proxy for this member."),
    "not_your_proxy": N_("You do not hold this member's proxy."),
    "bad_proxy_limit": N_("The number of proxies one person may hold is from 0 to {max}."),
    "meeting_not_closed": N_("Action items are updated once the meeting is closed."),
    "no_such_action": N_("There is no action item {action} in this meeting."),
    "unknown_action_status": N_("Unknown status: {status} (open, in_progress, done, blocked or cancelled)."),
    "bad_percent": N_("How far along is a percentage from 0 to 100."),
    "bad_due_date": N_("Not a date: {due} (write it as 2026-12-31)."),
    "bad_attachment": N_("That file is not one of this meeting's attachments."),
    "too_many_attachments": N_("One update can carry at most {max} files."),
    "too_many_updates": N_("This action item already has {max} updates."),
    "publicity_over": N_("The publicity period ended on {end}: objections are no longer taken this way."),
    "nothing_against": N_("You did not vote or speak against item {item}: an explanation is asked for by those who "
                          "did (or raise an objection)."),
    "already_requested": N_("You have already asked for an explanation of item {item}."),
    "results_shown": N_("The room already sees this poll's results."),
    "bad_ranking": N_("Rank each of the {options} options at most once."),
    "bad_choice": N_("Choose among the {options} options."),
    "duplicate_choice": N_("An option can be chosen only once."),
    "too_many_choices": N_("Choose at most {max} options."),
    "bad_choice_limit": N_("Each voter may choose from 1 to {max} options."),
    "bad_evaluation": N_("Rate each of the {evaluated} as satisfied, basically satisfied or dissatisfied, or leave them "
                         "unrated."),
    "already_written_back": N_("That decision is already written back to the item."),
    "no_outcome_to_report": N_("This item has no outcome recorded: there is nothing to report yet."),
    "not_reported": N_("This item has not been reported yet: a reply follows a report."),
    "already_replied": N_("The latest report already has its reply: record a new report first."),
    "no_outcome_to_correct": N_("This item has no outcome recorded: there is nothing to correct."),
    "no_outcome_to_escalate": N_("This item has no outcome recorded yet: record it before sending the item on."),
    "bad_file": N_("This file cannot be attached: JPEG or PNG photos and PDF documents only, up to 10 MB."),
    "empty_update": N_("An update needs a note, a status, a percentage, a due date or a file."),
    "bad_notice_days": N_("The publicity period of the public minutes is from 1 to {max} days (0 for the usual 7)."),
    "no_such_person": N_("There is no such person in the register."),
    "person_exists": N_("{name} is already in the register (same household, birth year and sex, or the same owner)."),
    "nothing_changed": N_("Nothing to change: the register already says this."),
    "unknown_status": N_("Unknown status: {status} (active, moved_away or deceased)."),
    "unknown_convening": N_("A meeting is convened from the register for: every adult, one per household, the "
                            "representatives or the owners ({who} is none of these)."),
    "nobody_to_convene": N_("Nobody in the register fits: the meeting would have no one invited."),
    "bad_area": N_("An area is a number of square metres with at most two decimals: {area} is not one."),
    "not_checked_in": N_("Please check in first."),
    "not_allowed": N_("You are not allowed to do this."),
    "chair_only": N_("Only the moderator can do this: the recorder keeps the record but does not chair the meeting."),
    "not_your_participant": N_("A phone can only act for the person who checked in on it."),
    "participant_required": N_("Choose the participant you act for."),
    "unknown_command": N_("Unknown action: {command}."),
    # the floor
    "unknown_stance": N_("Unknown stance: {stance}."),
    "unknown_request_kind": N_("Unknown kind of request: {kind}."),
    "observers_cannot_speak": N_("Observers cannot ask for the floor."),
    "already_in_queue": N_("You are already waiting to speak."),
    "not_in_queue": N_("This request is not in the queue."),
    "queue_changed": N_("The queue has changed; please try again."),
    "queue_empty": N_("Nobody is waiting to speak."),
    "nobody_speaking": N_("Nobody has the floor."),
    "speech_in_progress": N_("Someone still has the floor; end the speech first."),
    "timer_paused": N_("The timer is already paused."),
    "timer_running": N_("The timer is already running."),
    "bad_extension": N_("Extend by 1 to {max} seconds."),
    "no_such_speech": N_("There is no such speech."),
    "unknown_floor_policy": N_("Unknown order for the queue: {policy} (first_come, unheard_people, "
                               "unheard_categories or alternate)."),
    "unknown_limit": N_("Unknown speaking limit: {limit}."),
    "bad_limit": N_("The limit {limit} is a whole number from 0 (no limit) to {max}."),
    "reply_to_self": N_("The speaker cannot reply to their own speech."),
    "reply_waiting": N_("Someone is already waiting to reply to this speech: one reply at a time."),
    # a hearing's parties and stages
    "not_a_hearing": N_("Only a hearing has parties and stages."),
    "registration_closed": N_("Registration to testify has closed: the testimonies have begun."),
    "too_many_parties": N_("A hearing can have at most {max} parties registered to testify."),
    "unknown_party_kind": N_("Unknown kind of party: {kind} (a party concerned, a group, a building's residents or an "
                             "organisation)."),
    "party_registered": N_("{name} is already registered to testify."),
    "no_such_party": N_("There is no such party registered to testify."),
    "not_your_party": N_("A phone can only withdraw its own registration to testify."),
    "party_already_heard": N_("{name} has already been heard in this stage."),
    "party_needs_code": N_("Register to testify with your personal code (on your invitation slip), or ask the "
                           "organisers to register you."),
    "unknown_hearing_stage": N_("Unknown stage of a hearing: {stage}."),
    "hearing_stage_order": N_("A hearing's stages go in order, one at a time: the next is {next}."),
    "no_parties": N_("No party is registered to testify."),
    "not_party_stage": N_("Parties are called in the testimonies and the closing statements."),
    "no_party_left": N_("Every party has been heard in this stage."),
    # opinions and objections
    "no_such_opinion": N_("There is no such opinion."),
    "no_such_objection": N_("There is no such objection."),
    "not_your_objection": N_("Only the person who raised this objection can answer it."),
    "not_explained_yet": N_("This objection has not been explained yet."),
    "unknown_response": N_("Unknown response: {response}."),
    # polls
    "unknown_poll_kind": N_("Unknown poll type: {kind}."),
    "too_few_options": N_("A poll needs at least two options."),
    "too_many_options": N_("A poll can have at most {max} options."),
    "option_too_long": N_("An option can have at most {max} characters."),
    "duplicate_options": N_("Two options are the same."),
    "no_such_poll": N_("There is no such poll."),
    "poll_closed": N_("This poll is closed."),
    "already_voted": N_("You have already voted in this poll."),
    "no_such_option": N_("There is no such option."),
    "ranking_required": N_("This poll asks for the options in order of preference: rank them."),
    "unknown_method": N_("Unknown counting method: {method} (borda or instant_runoff)."),
    "hands_not_for_kind": N_("A ranking or an evaluation cannot be counted by a show of hands: enter each ballot at "
                             "the desk."),
    "secret_or_named": N_("A poll is either secret or named, not both."),
    "secret_not_changeable": N_("A secret ballot cannot be changed once in the box: open it without changes allowed."),
    "secret_not_weighed": N_("The owners' vote weighs each ballot by its owner's area, which would name the owner: "
                             "it cannot be secret."),
    "secret_own_ballot": N_("In a secret poll nobody enters a ballot for someone else: those without a phone vote on "
                            "paper, and the paper ballots are entered as totals."),
    "secret_sealed": N_("A secret poll is counted when it closes: its results cannot be shown before."),
    "in_secret_box": N_("This person's ballot is in the box of a secret poll still open, and cannot be taken out: "
                        "do this after the poll closes."),
    "bad_receipt": N_("This is not a receipt code."),
    "not_secret": N_("This poll is not secret: it has no receipts."),
    "box_mismatch": N_("The ballot box holds {ballots} ballots for {voters} voters: the poll was not closed. Tell "
                       "the organisers."),
    "named_needs_names": N_("In a named vote each vote is recorded with its voter's name: enter it for that person, "
                            "not as a show of hands."),
    "choices_required": N_("This poll takes several choices: choose at most {max} options."),
    "observers_cannot_vote": N_("Observers cannot vote."),
    "bad_hand_count": N_("Give one count for each of the {options} options, none negative."),
    "unknown_rule": N_("Unknown majority rule: {rule}."),
    "rule_needs_yes_no": N_("A binding vote asks for yes, no or abstain."),
    "rule_needs_members": N_("This meeting has no list of members, so nobody is entitled to a binding vote."),
    "rule_needs_areas": N_("The owners' majorities need every owner's exclusive area in the list of invited."),
    "no_quorum": N_("No quorum: {present} members present, {required} needed. Give a reason to open the vote anyway; "
                    "the minutes will state it."),
    "not_entitled": N_("Only the members invited to this meeting vote in a binding vote."),
    "hands_not_weighted": N_("In the owners' vote each owner's ballot counts with their area: enter each owner's "
                             "ballot for them instead of a show of hands."),
    "bad_count": N_("These counts cannot be: none may be negative, and no more can vote than are present or entitled."),
    "hand_count_unchanged": N_("These are the hands already counted: nothing to correct."),
    # minutes
    "unknown_format": N_("Minutes come in these formats: {formats}."),
    "minutes_need_key": N_("The full minutes need the moderator's or the recorder's key, or the facilitator's "
                           "token; the public version (public=1) needs none of them."),
    "unknown_timezone": N_("Unknown time zone: {zone}."),
    "pdf_unavailable": N_("This computer cannot make PDF files: the typst package cannot be loaded (docs/install.md "
                          "says how to install it). Every other format works; for a PDF now, open the print page and "
                          "use the browser's Print, Save as PDF."),
    # transport
    "bad_payload": N_("The request is malformed: {detail}."),
    "bad_credentials": N_("This link or key is not valid for this meeting."),
    "unauthorised": N_("This needs the facilitator's token."),
    "not_found": N_("Not found."),
    "no_such_topic": N_("There is no such topic."),
    "no_such_material": N_("This topic has no such material."),
    "material_already_added": N_("{name} is already among this topic's material."),
    "too_many_materials": N_("A topic can carry at most {max} files of material."),
    "unknown_topic_kind": N_("A topic is of one of the kinds the procedure names ({kind} is not one)."),
    "unknown_topic_source": N_("A topic comes from the Party organisation, the committee, a party, residents or the "
                               "township ({source} is none of these)."),
    "unknown_residents_base": N_("A residents' petition counts the adult registered residents or every adult "
                                 "resident ({base} is neither)."),
    "unknown_petition_base": N_("Only residents' proposals collect co-signatures, of residents or of representatives "
                                "({base} is neither)."),
    "too_many_groups": N_("A topic can name at most {max} affected groups."),
    "not_a_petition": N_("This topic does not collect co-signatures."),
    "petition_closed": N_("This petition no longer collects co-signatures: the topic is {status}."),
    "not_in_register": N_("This person is not on the community's register."),
    "not_in_register_named": N_("{name} is not on the community's register."),
    "several_in_register": N_("{n} people named {name} are on the register: give the household or the birth year."),
    "not_entitled_to_sign": N_("{name} may not co-sign this petition (an adult registered resident, or a representative "
                               "for a representatives' petition, who still lives here)."),
    "already_signed": N_("{name} has already co-signed this petition."),
    "topic_not_proposed": N_("This topic was already decided on (it is {status})."),
    "topic_already_linked": N_("This item already takes up this topic."),
    "topic_not_accepted": N_("Only an accepted topic can be put on a meeting's agenda (this one is {status})."),
    # opinions gathered on a topic in advance (facilitation/advance_opinions.py)
    "opinions_not_open": N_("This topic is not open for opinions just now."),
    "opinions_already_open": N_("This topic's period for opinions has not ended yet: close it before opening another."),
    "bad_opinion_period": N_("A period for opinions ends after it begins, not in the past, and lasts at most {days} "
                             "days."),
    "topic_declined": N_("A declined topic takes no opinions."),
    "unknown_opinion_channel": N_("An opinion comes online, on paper or by a phone call ({channel} is none of these)."),
    "wrong_opinion_channel": N_("Only residents give opinions and stances online, with their own personal code; "
                                "staff enter opinions from paper or a phone call."),
    "not_active_in_register": N_("{name} no longer lives here, according to the register."),
    "opinion_repeated": N_("This opinion was already given."),
    "too_many_opinions_by_one": N_("One person can give at most {max} opinions on a topic."),
    "too_many_opinions": N_("This topic has reached its limit of {max} opinions."),
    "no_such_statement": N_("There is no such opinion on this topic."),
    "statement_hidden": N_("This opinion is already hidden."),
    "own_statement": N_("You cannot agree or disagree with your own opinion."),
    "stance_unchanged": N_("You already said so about this opinion."),
    "too_many_stance_changes": N_("A stance on an opinion can be taken at most {max} times."),
    "resident_code_required": N_("Type your resident code: the digits on your resident slip."),
    "wrong_resident_code": N_("This is not a resident code of this community. Check the digits on your slip, or ask "
                              "the residents' committee."),
    "resident_code_replaced": N_("This code was replaced by a new slip and no longer works: use the code on your new "
                                 "slip."),
    "resident_code_withdrawn": N_("This code no longer works: the register says its holder no longer lives here or "
                                  "may not take part. Ask the residents' committee."),
    "too_many_tries": N_("Too many wrong codes were typed for this community. Please wait a minute and try again."),
    "no_resident_code": N_("{name} has no resident code: only active adult registered residents and representatives "
                           "have one."),
    "not_a_representative": N_("Only a representative may open a representatives' petition."),
    "too_many_open_proposals": N_("You have {max} topics waiting for the organisers' decision: please wait until they "
                                  "are decided."),
    # forms of consultation as the community's templates (facilitation/forms.py)
    "bad_template": N_("A form's template has its agenda steps, speaking time, who speaks, who votes, poll kinds "
                       "and quorum ({field} is not right)."),
    "bad_who": N_("Who may speak or vote is everyone checked in, the invited only, or chosen stakeholder categories "
                  "({what} is none of these)."),
    "unknown_poll_kind": N_("Unknown kind of poll: {kind}."),
    "quorum_below_law": N_("The law sets this form's quorum: a community may ask for more, never for less."),
    "voters_are_members": N_("In this form the invited members vote, as the law says: who votes cannot be changed."),
    "quorum_needs_invitees": N_("A quorum is counted against the invited: choose the invited as those who vote."),
    "unknown_wording": N_("A community is a village or a neighbourhood ({wording} is neither)."),
    "may_not_speak": N_("In this meeting's form only some may ask for the floor; ask the moderator."),
    "poll_kind_not_offered": N_("This meeting's form does not offer this kind of poll: {kind}."),
    # before the meeting: notices and replies (facilitation/notice.py)
    "unknown_notice_way": N_("Invitees are told by their slip, a telephone call, a message group or the notice board "
                             "({how} is none of these)."),
    "no_invitees": N_("This meeting has no list of invited participants: there is nobody to tell or to reply."),
    "too_many_notices": N_("This meeting already has {max} notices recorded."),
    "notice_whom": N_("Name the invitees told, or a category, not both."),
    "nobody_in_category": N_("Nobody invited is in the category {category}."),
    "replies_closed": N_("Replies are taken until the meeting opens: it has opened, so just come (or ask at the "
                         "check-in desk)."),
    "unknown_reply": N_("A reply is coming, not coming, or sending someone with a written proxy ({answer} is none of "
                        "these)."),
    "not_your_invitee": N_("A personal code replies only for its own holder."),
    "invitee_required": N_("Choose the invited person whose reply this is."),
    "store_unavailable": N_("The meeting's record cannot be reached just now; the action was not recorded. "
                            "Please try again in a moment."),
    "internal": N_("Something went wrong on the server; the action was not recorded."),
}


# Names of the fields that `empty_text` and `text_too_long` talk about.
FIELDS = {
    "title": N_("title"), "item_title": N_("agenda item title"), "background": N_("background"),
    "place": N_("place"), "starts_at": N_("start time"), "moderator": N_("moderator"), "recorder": N_("recorder"),
    "category": N_("category name"), "name": N_("name"), "summary": N_("summary"), "opinion": N_("opinion"),
    "topic_title": N_("the topic's title"), "group": N_("group"), "proposer": N_("proposed by"),
    "reason": N_("reason"), "explanation": N_("explanation"), "by": N_("explained by"), "comment": N_("comment"),
    "question": N_("question"), "action": N_("action item"), "owner": N_("owner"), "due": N_("due date"),
    "option": N_("poll option"), "household": N_("household"), "flat": N_("flat"),
    "issuer": N_("issuing body"), "note": N_("note"), "file_name": N_("file name"), "decided_by": N_("decided by"),
    "entrusted_by": N_("entrusted by"), "report_to": N_("reported to"), "report": N_("report"),
    "replied_by": N_("replied by"), "reply": N_("reply"), "holder": N_("proxy holder"),
    "speaks_for": N_("speaks for"), "testimony_summary": N_("summary of the testimony"),
}
# A hearing's stages, as its refusals name them (facilitation/hearing.py).
HEARING_STAGES = {"explain": N_("the procedure explained"), "plan": N_("the plan presented"),
                  "testimony": N_("the testimonies"), "questions": N_("questions"),
                  "closing": N_("closing statements"), "close": N_("the close"), "": N_("none (every stage is done)")}



class TransportError(Exception):
    """A refusal found in live/ itself (bad payload, bad credentials), with an HTTP status."""

    def __init__(self, code: str, status: int = 400, **params: object) -> None:
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


# What is wrong with a malformed request, in the user's language (the `detail` of bad_payload);
# `where` is the field as the protocol names it.
DETAILS = {
    "missing": N_("{where} is missing"),
    "extra": N_("{where} is not part of this request"),
    "type": N_("{where} has the wrong type"),
    "invalid": N_("{where} is not valid"),
    "too large": N_("it is too large"),
    "file too large": N_("the file is too large"),
    "not JSON": N_("it is not JSON"),
    "empty": N_("it is empty"),
    "expected an object": N_("an object was expected"),
    "one object expected": N_("one object was expected"),
    "send the minutes file as the request body": N_("send the minutes file as the request body"),
    "convene": N_("convene needs who (and may name groups)"),
    "community": N_("a community id is lowercase letters, digits, - and _ (at most 40)"),
    "convene groups": N_("convene's groups must be a list of group names"),
    "convene or roster": N_("give convene or a roster, not both"),
    "fields": N_("fields must be an object of texts"),
}

# A topic's status, as the refusals about topics name it (facilitation/topics.py).
TOPIC_STATUSES = {"proposed": N_("proposed"), "accepted": N_("accepted for consultation"), "declined": N_("declined"),
                  "scheduled": N_("on a meeting's agenda")}
TOPIC_REFUSALS = ("petition_closed", "topic_not_proposed", "topic_not_accepted")


def message(code: str, lang: str, params: dict[str, Any] | None = None) -> str:
    template = MESSAGES.get(code, MESSAGES["internal"])
    params = dict(params or {})
    if code == "bad_payload":
        problem = str(params.pop("problem", params.get("detail", "")))
        if problem in DETAILS:
            params["detail"] = gettext(lang, DETAILS[problem], where=str(params.pop("where", "payload"))[:60])
    if params.get("field") in FIELDS:
        params["field"] = gettext(lang, FIELDS[str(params["field"])])
    if code == "hearing_stage_order" and params.get("next") in HEARING_STAGES:
        params["next"] = gettext(lang, HEARING_STAGES[str(params["next"])])
    if code in TOPIC_REFUSALS and params.get("status") in TOPIC_STATUSES:
        params["status"] = gettext(lang, TOPIC_STATUSES[str(params["status"])])
    try:
        return gettext(lang, template, **params)
    except (KeyError, IndexError):
        return gettext(lang, template)


def refusal(code: str, lang: str, params: dict[str, Any] | None = None, status: int = 400) -> dict[str, Any]:
    """The one error shape, for socket acknowledgements and HTTP bodies alike."""
    return {"ok": False, "error": message(code, lang, params), "code": code, "status": status}
