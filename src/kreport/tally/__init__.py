"""Stage 1, the monthly tally: a spreadsheet (.xlsx or .csv, optionally named by a briefing TOML)
-> ``RawBriefing`` mappings, one for the whole area or one per region.

``read`` turns sheets into typed grids, ``spec`` reads the briefing TOML and periods,
``compute`` adds the months up into briefings, ``briefings`` runs them for a period (and by
region) collecting every problem, ``locate`` maps the validator's paths back to cells and TOML
keys, ``template`` writes a blank workbook. The result has exactly a hand-written data file's
keys, so it goes through ``kreport.source.validate`` like any other briefing. Imported only
when an input is a tally.
"""
