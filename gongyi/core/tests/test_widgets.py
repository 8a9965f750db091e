"""FastSelect renders what Django's Select renders, without a template per option."""

from django import forms

from gongyi.core.widgets import FastSelect


class Pick(forms.Form):
    colour = forms.ChoiceField(
        choices=[("", "任意"), ("r", "红 <b>"), ("g", "绿")], required=False, widget=FastSelect
    )


def test_marks_the_chosen_option_and_escapes_labels():
    html = str(Pick({"colour": "g"})["colour"])
    assert html.startswith("<select") and 'name="colour"' in html and 'id="id_colour"' in html
    assert '<option value="g" selected>绿</option>' in html
    assert '<option value="r">红 &lt;b&gt;</option>' in html
    assert html.count("selected") == 1 and html.endswith("</select>")


def test_nothing_chosen_selects_the_empty_option_only_if_given():
    assert '<option value="" selected>' in str(Pick({})["colour"])
    assert "selected" not in str(Pick({"colour": "x"})["colour"]).replace('value="x"', "")
