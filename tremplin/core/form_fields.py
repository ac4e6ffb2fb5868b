"""Form fields for values typed the French way, shared by every form that asks for them."""

from django import forms

from tremplin.core.parsing import DATE_FORMATS, ParseError, parse_amount


class AmountField(forms.CharField):
    """An amount in euros as typed in France: "12 000,50", "12000.50 €"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except ParseError as error:
            raise forms.ValidationError(str(error)) from error


class DayField(forms.DateField):
    """A date picker (type=date sends AAAA-MM-JJ); JJ/MM/AAAA is accepted too, for browsers without one."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = list(DATE_FORMATS)
    default_error_messages = {"invalid": "Saisissez une date valide (JJ/MM/AAAA)."}
