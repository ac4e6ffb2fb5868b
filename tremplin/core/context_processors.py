from django.conf import settings


def site(request):
    return {"SITE_NAME": "Tremplin", "DEBUG": settings.DEBUG}
