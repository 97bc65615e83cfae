from .models import DemoDataset


def site(request):
    return {"is_demo": DemoDataset.objects.exists()}
