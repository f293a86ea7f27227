from training import debian
from training.sources import SOURCES, Package, packages

DEP5 = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: game

Files: *
Copyright: 2010 Someone
License: GPL-2+

Files: data/sfx/lenautile_restaurant.ogg
Copyright: 2015 "Alcappuccino"
License: CC0

Files: etc/samples/vinyl_hiss.flac
Copyright: 2014 Someone else
License: CC0-1.0

Files: debian/*
Copyright: 2020 Packager
License: GPL-3
"""


def test_dep5_last_matching_stanza_wins_and_debian_stanza_is_ignored():
    c = debian.CopyrightFile(DEP5)
    assert c.licence_for("/usr/share/games/supertuxkart/data/sfx/lenautile_restaurant.ogg").startswith("CC0")
    assert c.licence_for("/usr/share/games/supertuxkart/data/sfx/other.ogg") == "GPL-2+ (Files: *)"
    # a literal source path installed elsewhere still matches by file name
    assert c.licence_for("/usr/share/sonic-pi/samples/vinyl_hiss.flac").startswith("CC0-1.0")
    assert c.licence_for("/usr/share/sonic-pi/samples/vinyl_hiss2.flac").startswith("GPL-2+")


def test_free_form_copyright_reduces_to_gpl_version():
    text = ("This package was debianized by someone.\n\n   This package is free software; you can "
            "redistribute it and/or modify\n   it under the terms of the GNU General Public License as "
            "published by\n   the Free Software Foundation; version 2 dated June, 1991.\n")
    assert debian.CopyrightFile(text).licence_for("/x.ogg") == "GPL-2 (free-form copyright file)"


def test_deb_filename_encodes_epoch():
    assert debian.deb_filename(Package("kajongg", "4:22.12.3-1", "0" * 64, ())) == "kajongg_4%3a22.12.3-1_all.deb"


def test_every_package_is_pinned_with_a_sha256_and_extracts_its_copyright():
    for package in packages():
        assert package.version and len(package.sha256) == 64
        assert f"./usr/share/doc/{package.name}/*" in package.extract
    assert {s.kind for s in SOURCES} == {"speech", "noise", "ir"}
