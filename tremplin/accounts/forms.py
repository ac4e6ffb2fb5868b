"""Account forms: sign-up, login by e-mail, profile, API token creation. Messages are French."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from tremplin.accounts.models import User


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="Elle vous servira d'identifiant. Nous y enverrons un lien de confirmation.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    full_name = forms.CharField(
        label="Nom complet",
        max_length=150,
        help_text="Prénom et nom, tels que vos interlocuteurs les connaissent.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        help_text="Saisissez le même mot de passe, pour vérification.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou réinitialisez votre mot de "
                "passe si vous l'avez oublié."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, with an e-mail input and a French message that fits an e-mail identifier."""

    username = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone"]
        labels = {"full_name": "Nom complet", "phone": "Téléphone"}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître plus tard, par exemple « Import depuis notre logiciel financier ».",
    )


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="L'adresse avec laquelle vous vous connectez à Tremplin.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
