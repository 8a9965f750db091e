"""Finding a volunteer by ID-card number: keyed-hash index vs decrypting every row.

The ID number is stored encrypted with a random IV, so without the keyed hash the only way
to find a person (duplicate check at registration, admin search) is to decrypt them all.
"""

import random

from bench.timing import measure, ratio, report
from gongyi.accounts.models import Volunteer
from gongyi.core.crypto import decrypt, lookup_hash


def run() -> None:
    rows = list(Volunteer.objects.values_list("id_number_encrypted", flat=True)[:5000])
    targets = [decrypt(token) for token in random.Random(1).sample(rows, 20)]
    picks = iter(targets * 1000)

    def by_hash():
        number = next(picks)
        return Volunteer.objects.filter(id_number_hash=lookup_hash(f"resident_id:{number}")).first()

    def by_scan():
        number = next(picks)
        for pk, token in Volunteer.objects.values_list("pk", "id_number_encrypted").iterator():
            if token and decrypt(token) == number:
                return pk
        return None

    count = Volunteer.objects.count()
    ours = measure(by_hash, repeat=2000)
    baseline = measure(by_scan, repeat=5)
    report(f"lookup by keyed hash ({count} volunteers)", ours)
    report(f"baseline: decrypt-and-scan ({count} volunteers)", baseline)
    ratio("keyed hash vs scan", ours, baseline)
