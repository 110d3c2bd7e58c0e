"""A bank's per-call log and its recipe, shared by the recipe form's unit, app and browser
tests: dates as yymmdd digits, the time of day a separate h:mm:ss column, outcome codes.

RECOGNISED is the log as the bank exports it (its date column headed `date`): detection reads
it by itself. CALLS heads that column `yymmdd`, which says no date to the detector, so the
sheet is held and the recipe form opens with the proposal: the form's tests start there."""

RECOGNISED = (
    b"vru_line,call_id,date,vru_entry,q_time,outcome\n"
    b"AA0101,1001,240301,0:00:31,0,HANG\n"
    b"AA0101,1002,240301,0:34:12,5,AGENT\n"
    b"AA0101,1003,240302,6:55:20,12,PHANTOM\n"
    b"AA0102,1004,240305,9:10:00,30,AGENT\n"
    b"AA0102,1005,240306,10:00:05,45,HANG\n"
)
CALLS = (
    b"vru_line,call_id,yymmdd,vru_entry,q_time,outcome\n"
    b"AA0101,1001,240301,0:00:31,0,HANG\n"
    b"AA0101,1002,240301,0:34:12,5,AGENT\n"
    b"AA0101,1003,240302,6:55:20,12,PHANTOM\n"
    b"AA0102,1004,240305,9:10:00,30,AGENT\n"
    b"AA0102,1005,240306,10:00:05,45,HANG\n"
)
# Typed and mapped, without `answered`: the tests add it (or a filter) as the analyst would.
TYPED = """name = "Bank calls"
dataset = "contacts"

[types]
"yymmdd" = "date:%y%m%d"
"vru_entry" = "duration"

[columns]
contact_date = ' "yymmdd" + "vru_entry" '
contact_id = "call_id"
wait_seconds = "q_time"
"""
# The same with `answered` from the outcome code.
ANSWERED = TYPED.replace(
    'contact_id = "call_id"\n',
    "contact_id = \"call_id\"\nanswered = ''' \"outcome\" = 'AGENT' '''\n",
)
