# Two commands: `make run` serves the portal, `make test` runs the whole suite.
# Both install what is missing and are idempotent; see README.md.
.PHONY: run test stop db-status shell messages check clean-db help bench-data bench

help:
	@echo "make run    - install what is missing, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test   - the same set-up, then the whole pytest suite on real PostGIS"
	@echo "make stop   - stop the private PostGIS cluster"
	@echo "make clean-db - drop the development database and uploads (make run rebuilds them)"

run:
	@bash scripts/serve.sh

test:
	@bash scripts/test.sh $(PYTEST_ARGS)

stop:
	@bash scripts/pg.sh stop

clean-db:
	@bash scripts/pg.sh drop_db

db-status:
	@bash scripts/pg.sh status

shell:
	@bash -c 'source scripts/env.sh && bash scripts/prepare.sh && .venv/bin/python manage.py shell'

messages:
	@bash -c 'source scripts/env.sh && .venv/bin/python manage.py makemessages -l vi --no-obsolete --ignore ".venv/*" --ignore ".data/*" --ignore "tests/*" --ignore "fixtures/*" --ignore ".bench-venv/*" && .venv/bin/python locale/tools/vi_translations.py'

check:
	@bash -c 'source scripts/env.sh && .venv/bin/python manage.py check'

# Benchmarks (issue 4): not part of make test; see bench/README.md.
bench-data:
	@bash -c 'source scripts/env.sh && bash scripts/prepare.sh && .venv/bin/python bench/seed.py'

bench:
	@bash -c 'source scripts/env.sh && bash scripts/prepare.sh && for b in bench/bench_*.py; do .venv/bin/python $$b; done'
