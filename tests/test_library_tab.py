"""The 文库 tab's rules without a browser: who may change the library, and what read-only shows."""

from __future__ import annotations

from types import SimpleNamespace

import settings as settings_mod
from library import Library
from ui import library_tab
from ui.services import Services


def services(tmp_path, **overrides) -> Services:
    s = settings_mod.load(corpus_dir=str(tmp_path), data_dir=str(tmp_path / "data"), **overrides)
    return Services(s, index=None, engine=None, library=Library(s, lambda: None))


def outputs(gen) -> list:
    return list(gen)


def test_read_only_deployment_refuses_with_the_reason(tmp_path):
    svc = services(tmp_path, library_read_only=True)
    ((progress, report, *_),) = outputs(library_tab.upload(svc, ["x.md"], SimpleNamespace(username=None)))
    assert "只读部署" in progress and report == ""


def test_with_auth_a_change_needs_a_login(tmp_path):
    svc = services(tmp_path, auth="staff:s3cret")
    ((progress, *_),) = outputs(library_tab.remove(svc, "a.md", True, SimpleNamespace(username=None)))
    assert "请先登录" in progress
    user, why = library_tab.who(svc, SimpleNamespace(username="staff"))
    assert (user, why) == ("staff", "")


def test_remove_needs_a_pick_and_a_confirmation(tmp_path):
    svc = services(tmp_path)
    ((progress, *_),) = outputs(library_tab.remove(svc, "a.md", False, SimpleNamespace(username=None)))
    assert "确认删除" in progress
    ((progress, *_),) = outputs(library_tab.upload(svc, [], SimpleNamespace(username=None)))
    assert "请先选择要上传的文件" in progress
