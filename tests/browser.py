"""Debian's chromium driven by Selenium, for the browser tests (never a downloaded browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def chromium() -> webdriver.Chrome:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("chromium / chromium-driver missing: run `make setup-browser`")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download a browser
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
    ):
        opts.add_argument(arg)
    opts.add_argument("--window-size=1400,1000")
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
