from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Commitment


def commitment_detail(request, pk):
    commitment = get_object_or_404(Commitment, pk=pk)
    return HttpResponse(str(commitment))
