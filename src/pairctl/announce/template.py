"""The default announcement template: one Jinja2 text holding every part as a block.

A `--template FILE` has the same blocks. `subject`, `text` and `html` make a group's message;
`unmatched_subject`, `unmatched_text` and `unmatched_html` the message to someone left out
(needed unless --no-unmatched). The subject and text blocks are rendered without escaping,
the html blocks with HTML autoescaping on; an unknown variable is an error, not a blank.

Variables in the group blocks:
  names    the members' names as one phrase: "Ana", "Ana and Bo", "Ana, Bo and Chen"
  people   each member: key, name, email, timezone ('' unless the sheet gives one), teaches
           (list of {learner, skills}) and learns (list of {teacher, skills});
           learner/teacher are members, skills a list of str
  zones    the members' time zones, when the sheet gives them and they differ, else empty
  lessons  every {teacher, learner, skills}, in the sheet's order
  notes    the sheet's notes on the group (list of str)
  group    the group's number on the sheet
  meeting  None, or {when, length, start (aware datetime), zone}: --meeting given
  sender   the --from display name, or its address
In the unmatched blocks: person (key, name, email), reason, sender, meeting.
"""

from __future__ import annotations

DEFAULT_TEMPLATE = """\
{%- block subject -%}
Two-way mentoring: meet {{ names }}
{%- endblock %}

{% block text -%}
Hello {{ names }},

you have been paired for two-way mentoring. Each of you is both mentor and mentee: you
teach the other something you know well, and learn something they know well in return.

What you can teach each other:
{% for lesson in lessons %}
- {{ lesson.teacher.name }} can teach {{ lesson.learner.name }}: {{ lesson.skills | join(", ") }}
{% else %}
- Nothing matched on the roster: use your first meeting to find out what each of you can share.
{% endfor %}

{% if zones -%}
You work in different time zones ({{ zones | join(", ") }}): find an hour that suits all of you.

{% endif -%}
{% if meeting -%}
Suggested first meeting: {{ meeting.when }}, {{ meeting.length }}. The invitation is attached.
{%- else -%}
Please arrange a first meeting of about half an hour in the next two weeks.
{%- endif %}


Best wishes,
{{ sender }}
{% endblock %}

{% block html -%}
<!DOCTYPE html>
<html><body>
<p>Hello {{ names }},</p>
<p>you have been paired for two-way mentoring. Each of you is both mentor and mentee: you
teach the other something you know well, and learn something they know well in return.</p>
<p>What you can teach each other:</p>
<ul>
{% for lesson in lessons %}
<li><strong>{{ lesson.teacher.name }}</strong> can teach {{ lesson.learner.name }}:
{{ lesson.skills | join(", ") }}</li>
{% else %}
<li>Nothing matched on the roster: use your first meeting to find out what each of you can
share.</li>
{% endfor %}
</ul>
{% if zones %}
<p>You work in different time zones ({{ zones | join(", ") }}): find an hour that suits all
of you.</p>
{% endif %}
{% if meeting %}
<p>Suggested first meeting: <strong>{{ meeting.when }}</strong>, {{ meeting.length }}.
The invitation is attached.</p>
{% else %}
<p>Please arrange a first meeting of about half an hour in the next two weeks.</p>
{% endif %}
<p>Best wishes,<br>{{ sender }}</p>
</body></html>
{% endblock %}

{% block unmatched_subject -%}
Two-way mentoring: no partner for you this round
{%- endblock %}

{% block unmatched_text -%}
Hello {{ person.name }},

thank you for signing up for two-way mentoring. This round we could not find you a
partner{% if reason %} ({{ reason }}){% endif %}.

What happens next: you stay on the roster for the next round. If you would like a partner
sooner, reply to this message and we will try to find one by hand.

Best wishes,
{{ sender }}
{% endblock %}

{% block unmatched_html -%}
<!DOCTYPE html>
<html><body>
<p>Hello {{ person.name }},</p>
<p>thank you for signing up for two-way mentoring. This round we could not find you a
partner{% if reason %} ({{ reason }}){% endif %}.</p>
<p>What happens next: you stay on the roster for the next round. If you would like a partner
sooner, reply to this message and we will try to find one by hand.</p>
<p>Best wishes,<br>{{ sender }}</p>
</body></html>
{% endblock %}
"""
