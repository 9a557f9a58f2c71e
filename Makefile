# bqw — make install | demo | serve | test | test-fast | test-portable | test-wheel | test-browser | test-slow | fuzz | wild | samples | docs | bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo serve test test-fast test-portable test-wheel test-browser test-slow fuzz wild samples docs docs-check bench preview clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The month's main job on samples/: validate every sample (the error samples must fail).
demo: install
	@echo "== 校验挂点安排表、成员名单 =="
	$(BIN)/bqw validate samples/assignments samples/roster
	@echo "== 校验 2026年10月 各领导上报的挂点调研台账（含临时文件、更正件、.xls、.csv） =="
	$(BIN)/bqw validate samples/2026-10 --assignments samples/assignments --period 2026-10 --annotate out/退回
	@echo "== 校验问题整改三张清单（三表式与合并式）和典型村评价 =="
	$(BIN)/bqw validate samples/rectification samples/scores
	$(BIN)/bqw validate samples/decisions
	@echo "== 校验含已知错误的样例（应当发现问题并退出码为 1） =="
	$(BIN)/bqw validate samples/errors --assignments samples/assignments --period 2026-10 --annotate out/退回 ; \
		code=$$?; if [ $$code -ne 1 ]; then echo "预期退出码 1，实际 $$code"; exit 1; fi
	@echo "== 合并 2026年10月 的挂点调研台账：去重、更正件替换旧件、待核实、催报，并归档到 out/bqw.db =="
	$(BIN)/bqw merge samples/2026-10 -o out/汇总/挂点调研台账（2026年10月）.xlsx --expect samples/assignments \
		--assignments samples/assignments --period 2026-10 --archive out/bqw.db
	@echo "== 合并问题整改台账（三表式与合并式内容相同，只计一次） =="
	$(BIN)/bqw merge samples/rectification -o out/汇总/问题整改台账.xlsx --as-of 2026-10-31 --archive out/bqw.db
	$(BIN)/bqw merge samples/decisions -o out/汇总/会议议定事项台账.xlsx --as-of 2026-10-31 --archive out/bqw.db
	$(BIN)/bqw history --archive out/bqw.db --kind visits
	@echo "== 统计本月进度：挂点调研序时进度、任务逾期与预警 =="
	$(BIN)/bqw summarise samples/2026-10 samples/rectification --assignments samples/assignments \
		--period 2026-10 --as-of 2026-10-31
	@echo "== 工作区：bqw init + 收件箱 + bqw run（定时任务的做法） =="
	rm -rf out/演示工作区
	$(BIN)/bqw init out/演示工作区 --town 平安镇 --year 2026
	cp samples/assignments/*.xlsx out/演示工作区/名单/镇领导挂点联系村安排表.xlsx
	cp samples/roster/*.xlsx out/演示工作区/名单/指挥部成员名单.xlsx
	cp -r samples/2026-10 samples/rectification out/演示工作区/inbox/
	cd out/演示工作区 && ../../$(BIN)/bqw run --as-of 2026-10-31 ; code=$$?; \
		if [ $$code -ne 1 ]; then echo "预期退出码 1（有逾期任务和未报送），实际 $$code"; exit 1; fi
	cd out/演示工作区 && ../../$(BIN)/bqw run --as-of 2026-10-31
	@echo "== 按季度、按年度统计（工作区归档）：2026年第四季度和2026年全年的挂点调研进度、任务逾期 =="
	cd out/演示工作区 && ../../$(BIN)/bqw summarise --period 2026-Q4 --as-of 2026-10-31
	cd out/演示工作区 && ../../$(BIN)/bqw summarise --period 2026 --as-of 2026-10-31
	@echo "== 校验并合并照工作方案附件原样填报的表格（附件1、附件3 的 .xlsx/.xls/.csv、汇总工作簿、全年工作簿、附件4） =="
	$(BIN)/bqw validate samples/官方模板 --assignments samples/assignments
	$(BIN)/bqw merge samples/官方模板 -o out/汇总/官方模板.xlsx --assignments samples/assignments --no-archive
	@echo "== 生成空白模板（挂点调研台账为附件3原样：两行表头、“调研成效”下两列、“挂点领导：”行） =="
	$(BIN)/bqw template visits -o out/模板/挂点调研台账模板.xlsx --year 2026 --unit 平安镇
	$(BIN)/bqw template tasks -o out/模板/问题整改三清单模板.xlsx
	@echo "演示完成：合并结果在 out/汇总/，标注副本在 out/退回/，模板在 out/模板/，归档在 out/bqw.db，工作区在 out/演示工作区/。"

# bqw serve for a look (docs/serve.md), on a workspace made as make demo makes 演示工作区: bqw init, the samples'
# 名单, the rectification lists through bqw run; the October ledgers (samples/2026-10) are for uploading through
# the links it prints. Made once and kept (the office password set with serve passwd stays); “today” is
# pinned to 2026-10-31, the samples' month end.
SERVE_DIR := out/报送演示
serve: install
	@test -f $(SERVE_DIR)/bqw.toml || ( \
		$(BIN)/bqw init $(SERVE_DIR) --town 平安镇 --year 2026 --quiet && \
		cp samples/assignments/*.xlsx $(SERVE_DIR)/名单/镇领导挂点联系村安排表.xlsx && \
		cp samples/roster/*.xlsx $(SERVE_DIR)/名单/指挥部成员名单.xlsx && \
		cp -r samples/rectification $(SERVE_DIR)/inbox/ && \
		( $(BIN)/bqw -w $(SERVE_DIR) run --as-of 2026-10-31 --quiet ; true ) )
	$(BIN)/bqw -w $(SERVE_DIR) serve links --base-url http://127.0.0.1:8765
	@echo "报送链接如上（已发放的重发：bqw -w $(SERVE_DIR) serve links --renew）；办公室密码：$(BIN)/bqw -w $(SERVE_DIR) serve passwd；"
	@echo "办公室页面 http://127.0.0.1:8765/office ；可上传的样例台账在 samples/2026-10/ 和 samples/errors/。"
	$(BIN)/bqw -w $(SERVE_DIR) serve --as-of 2026-10-31

# The suite runs in two worker processes (pytest-xdist; the machines have two cores); each test file
# stays whole in one worker (--dist loadfile), so a module's fixture (a merged workspace, a batch of
# hostile files) is built once. The slow tests are spread one by one (--dist load): half of them are
# test_faults.py's kill -9 runs. PYTEST_WORKERS=0 runs everything in this one process.
PYTEST_WORKERS ?= 2

test: install
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

# The fast tier, to run after every change: the unit and golden tests, under a minute on two cores.
# Tests marked heavy (pyproject.toml) are left to make test, which runs everything test-fast does too.
test-fast: install
	$(BIN)/python -m pytest -q -m 'not slow and not heavy' -n $(PYTEST_WORKERS) --dist loadfile tests/unit tests/golden

# The command-line tests on the paths Windows takes, here on Linux: no fcntl in any Python they start
# (tests/portable/sitecustomize.py), so the archive is locked through SQLite, and no fork (BQW_NO_FORK=1),
# so the reading workers are spawned. The demo comparison is left out: its kept file list names bqw.db.lock.
test-portable: install
	BQW_NO_FORK=1 BQW_TEST_NO_FCNTL=1 PYTHONPATH=tests/portable BQW_POOL_MIN_FILES=4 \
		$(BIN)/python -m pytest -q -m 'not slow and not demo' -n $(PYTEST_WORKERS) --dist loadfile tests/cli tests/unit/test_lock.py tests/unit/test_pool.py

# The wheel as an office PC gets it (tests/install/test_wheel.py): built from this tree, installed into a
# fresh venv (dependencies from the package index), run from a folder outside the repository.
test-wheel: install
	$(BIN)/python -m pytest -q -m wheel tests/install/test_wheel.py

# The real-browser test of bqw serve (tests/browser/): Debian's chromium driven by Playwright, headless; page
# screenshots in out/browser/. make test runs it too when chromium is installed (it skips without); here a
# missing chromium is a failure (apt-get install chromium fonts-noto-cjk).
CHROMIUM ?= /usr/bin/chromium
test-browser: install
	BQW_CHROMIUM=$(CHROMIUM) BQW_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/browser

test-slow: install
	$(BIN)/python -m pytest -q -m slow -n $(PYTEST_WORKERS) --dist load

# Property-based fuzzing of read → validate → merge (tests/hostile/test_fuzz.py): 10,000 random
# workbooks with fresh randomness (make test runs 30 with a fixed seed). FUZZ_EXAMPLES=… to change.
FUZZ_EXAMPLES ?= 10000
fuzz: install
	BQW_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/hostile/test_fuzz.py

# The wild corpus (tests/wild): WILD_CASES generated real-looking ledgers (seeds 0…), each read by bqw and
# compared with its recorded truth; prints the failures by trait. make test runs 300 of them (BQW_WILD_CASES).
WILD_CASES ?= 5000
wild: install
	$(BIN)/python -m tests.wild.run -n $(WILD_CASES)

samples: install
	$(BIN)/python scripts/make_samples.py samples

docs: install
	$(BIN)/python -m bqw.cli.docsgen

docs-check: install
	$(BIN)/python -m bqw.cli.docsgen --check

# 通报、简报 rendered with LibreOffice (stand-in fonts from templates/fonts.conf) for a look: out/预览/
preview: install
	@if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then \
		$(BIN)/python -m bqw.documents.preview --samples samples --out out/预览 --fonts templates/fonts.conf; \
	else \
		echo "未安装 LibreOffice（soffice），跳过预览（可用 apt-get install libreoffice-writer-nogui poppler-utils 安装）。"; \
	fi

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py --full
	$(BIN)/python bench/serve_load.py

clean:
	rm -rf $(VENV) out .pytest_cache
