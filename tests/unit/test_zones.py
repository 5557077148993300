from live.zones import known_zone


def test_real_zones_are_known():
    assert known_zone("Asia/Shanghai") and known_zone("Europe/Berlin") and known_zone("UTC")


def test_odd_names_are_refused_without_an_exception():
    for name in ("Mars/Olympus", "长" * 200, "Asia/" + "x" * 300, "../etc/passwd", "/etc/passwd",
                 "Asia/Shanghai\x00", "", "Asia//Shanghai"):
        assert not known_zone(name)
