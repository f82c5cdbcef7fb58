#!/usr/bin/env python3
"""Writes rules/cameo/cameo.tsv, the CAMEO event code table quarry's event coder and finishing
stage read: code, type, root, quad class, PLOVER category, PLOVER mode, PLOVER context, label.

Facts only (codes, their names, their PLOVER mapping). Sources:
  - CAMEO codes 01x-20x and their names: CAMEO Event Data Codebook 1.1b3 (Schrodt 2012);
  - the PLOVER category, mode and context of codes 03x-20x: CAMEO2PLOVER-2021.txt (PLOVER
    manual draft 0.8, Open Event Data Alliance, CC BY-SA 4.0), read from ../shared/data/cameo;
    codes 02x (appeals) map to PLOVER REQUEST; codes 01x (statements) have no PLOVER category.
  - `type` is quarry's short upper-case name per code (its own wording).
Usage: scripts/import-cameo.py [CAMEO2PLOVER.txt] > rules/cameo/cameo.tsv
"""
import re, sys

src = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/cameo/CAMEO2PLOVER-2021.txt'

# Codes the PLOVER table leaves out (statements and appeals), from the CAMEO codebook.
EXTRA = {
    '010': 'Make statement', '011': 'Decline comment', '012': 'Make pessimistic comment',
    '013': 'Make optimistic comment', '014': 'Consider policy option',
    '015': 'Acknowledge or claim responsibility', '016': 'Deny responsibility',
    '017': 'Engage in symbolic act', '018': 'Make empathetic comment', '019': 'Express accord',
    '020': 'Make an appeal or request', '021': 'Appeal for material cooperation',
    '0211': 'Appeal for economic cooperation', '0212': 'Appeal for military cooperation',
    '0213': 'Appeal for judicial cooperation', '0214': 'Appeal for intelligence',
    '022': 'Appeal for diplomatic cooperation', '023': 'Appeal for aid',
    '0231': 'Appeal for economic aid', '0232': 'Appeal for military aid',
    '0233': 'Appeal for humanitarian aid', '0234': 'Appeal for military protection or peacekeeping',
    '024': 'Appeal for political reform', '0241': 'Appeal for change in leadership',
    '0242': 'Appeal for policy change', '0243': 'Appeal for rights',
    '0244': 'Appeal for change in institutions, regime', '025': 'Appeal to yield',
    '0251': 'Appeal for easing of administrative sanctions',
    '0252': 'Appeal for easing of popular dissent', '0253': 'Appeal for release of persons or property',
    '0254': 'Appeal for easing of economic sanctions, boycott, or embargo',
    '0255': 'Appeal for target to allow international involvement',
    '0256': 'Appeal for de-escalation of military engagement',
    '026': 'Appeal to others to meet or negotiate', '027': 'Appeal to others to settle dispute',
    '028': 'Appeal to others to engage in or accept mediation',
}

# quarry's short names (the `type` of an event); codes without one take their parent's.
TYPES = {
    '010': 'STATEMENT', '011': 'DECLINE_COMMENT', '012': 'PESSIMISTIC_COMMENT',
    '013': 'OPTIMISTIC_COMMENT', '014': 'CONSIDER_POLICY', '015': 'CLAIM_RESPONSIBILITY',
    '016': 'DENY', '017': 'SYMBOLIC_ACT', '018': 'EMPATHIZE', '019': 'EXPRESS_ACCORD',
    '020': 'APPEAL', '021': 'APPEAL', '022': 'APPEAL', '023': 'APPEAL_FOR_AID', '024': 'APPEAL',
    '025': 'APPEAL_TO_YIELD', '026': 'APPEAL_TO_MEET', '027': 'APPEAL_TO_SETTLE', '028': 'APPEAL',
    '030': 'INTEND_COOPERATE', '031': 'INTEND_COOPERATE', '032': 'INTEND_COOPERATE',
    '033': 'INTEND_AID', '034': 'INTEND_REFORM', '035': 'INTEND_YIELD', '036': 'INTEND_MEET',
    '037': 'INTEND_SETTLE', '038': 'ACCEPT_MEDIATION', '039': 'INTEND_MEDIATE',
    '040': 'CONSULT', '041': 'PHONE_CALL', '042': 'VISIT', '043': 'HOST_VISIT',
    '044': 'MEET_THIRD_PLACE', '045': 'MEDIATE', '046': 'NEGOTIATE',
    '050': 'DIPLOMATIC_COOPERATION', '051': 'PRAISE', '052': 'DEFEND_VERBALLY',
    '053': 'RALLY_SUPPORT', '054': 'RECOGNIZE', '055': 'APOLOGIZE', '056': 'FORGIVE',
    '057': 'SIGN_AGREEMENT', '060': 'MATERIAL_COOPERATION', '061': 'ECONOMIC_COOPERATION',
    '062': 'MILITARY_COOPERATION', '063': 'JUDICIAL_COOPERATION', '064': 'SHARE_INTELLIGENCE',
    '070': 'AID', '071': 'ECONOMIC_AID', '072': 'MILITARY_AID', '073': 'HUMANITARIAN_AID',
    '074': 'PEACEKEEPING', '075': 'GRANT_ASYLUM', '080': 'YIELD', '081': 'EASE_SANCTIONS',
    '082': 'EASE_DISSENT', '083': 'ACCEDE', '084': 'RELEASE', '0841': 'RELEASE',
    '0842': 'RETURN_PROPERTY', '085': 'EASE_SANCTIONS', '086': 'ALLOW_INVOLVEMENT',
    '087': 'DE_ESCALATE', '0871': 'CEASEFIRE', '0872': 'EASE_BLOCKADE', '0873': 'DEMOBILIZE',
    '0874': 'WITHDRAW', '090': 'INVESTIGATE', '100': 'DEMAND', '101': 'DEMAND', '102': 'DEMAND',
    '103': 'DEMAND_AID', '104': 'DEMAND_REFORM', '105': 'DEMAND_YIELD', '1053': 'DEMAND_RELEASE',
    '106': 'DEMAND_MEETING', '107': 'DEMAND_SETTLEMENT', '108': 'DEMAND_MEDIATION',
    '110': 'DISAPPROVE', '111': 'CRITICIZE', '112': 'ACCUSE', '113': 'RALLY_OPPOSITION',
    '114': 'COMPLAIN', '115': 'SUE', '116': 'FIND_GUILTY', '120': 'REJECT', '121': 'REJECT',
    '122': 'REJECT', '123': 'REJECT', '124': 'REFUSE_TO_YIELD', '125': 'REJECT_TALKS',
    '126': 'REJECT_MEDIATION', '127': 'REJECT_SETTLEMENT', '128': 'DEFY', '129': 'VETO',
    '130': 'THREATEN', '131': 'THREATEN', '132': 'THREATEN', '133': 'THREATEN_PROTEST',
    '134': 'THREATEN', '135': 'THREATEN', '136': 'THREATEN', '137': 'THREATEN_REPRESSION',
    '138': 'THREATEN_FORCE', '139': 'ULTIMATUM', '140': 'DISSENT', '141': 'PROTEST',
    '142': 'HUNGER_STRIKE', '143': 'STRIKE_BOYCOTT', '144': 'OBSTRUCT', '145': 'RIOT',
    '150': 'SHOW_FORCE', '151': 'POLICE_ALERT', '152': 'MILITARY_ALERT', '153': 'MOBILIZE_POLICE',
    '154': 'MOBILIZE_MILITARY', '160': 'REDUCE_RELATIONS', '161': 'BREAK_RELATIONS',
    '162': 'STOP_AID', '163': 'SANCTION', '164': 'HALT_NEGOTIATIONS', '165': 'HALT_MEDIATION',
    '166': 'EXPEL', '170': 'COERCE', '171': 'SEIZE_PROPERTY', '1711': 'CONFISCATE',
    '1712': 'DESTROY_PROPERTY', '172': 'ADMINISTRATIVE_SANCTIONS', '1723': 'CURFEW',
    '1724': 'STATE_OF_EMERGENCY', '173': 'ARREST', '174': 'DEPORT', '175': 'REPRESS',
    '180': 'VIOLENCE', '181': 'ABDUCT', '182': 'BEAT', '1821': 'SEXUAL_ASSAULT',
    '1822': 'TORTURE', '1823': 'KILL', '183': 'BOMBING', '1831': 'SUICIDE_BOMBING',
    '1832': 'CAR_BOMBING', '1833': 'ROADSIDE_BOMBING', '184': 'HUMAN_SHIELD',
    '185': 'ATTEMPT_ASSASSINATION', '186': 'ASSASSINATE', '190': 'MILITARY_FORCE',
    '191': 'BLOCKADE', '192': 'OCCUPY', '193': 'SMALL_ARMS_FIGHT', '194': 'ARTILLERY_FIGHT',
    '195': 'AIR_STRIKE', '196': 'VIOLATE_CEASEFIRE', '200': 'MASS_VIOLENCE', '201': 'MASS_EXPULSION',
    '202': 'MASS_KILLING', '203': 'ETHNIC_CLEANSING', '204': 'WMD', '2041': 'CBR_WEAPONS',
    '2042': 'NUCLEAR_WEAPONS',
}
# Quad classes (Duval and Thompson, as in GDELT): 1 verbal cooperation (01-05), 2 material
# cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20).
def quad(root):
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4

rows = {}
for code, label in EXTRA.items():
    rows[code] = ('REQUEST' if code.startswith('02') else '', '', '', label)
for line in open(src, encoding='utf-8'):
    m = re.match(r'^(\d{3,4}):\s*([^#]*)#\s*(.*)$', line.rstrip('\n'))
    if not m:
        continue
    code, fields, label = m.group(1), m.group(2), m.group(3).strip()
    parts = [p.strip() for p in fields.split(',')]
    while len(parts) < 3:
        parts.append('')
    cat, mode, ctx = parts[0], parts[1], ','.join(parts[2:]).strip().strip(',').strip()
    if code in rows and rows[code][0]:
        continue  # 175 is listed twice; keep the first
    label = label.replace('Apolgize', 'Apologize').replace('adminstrative', 'administrative')
    rows[code] = (cat, mode, ctx, label)

def type_of(code):
    c = code
    while c:
        if c in TYPES:
            return TYPES[c]
        c = c[:-1] if len(c) > 3 else ''
    return rows[code][0] or 'EVENT'

print('# rules/cameo/cameo.tsv: CAMEO event codes for quarry (generated by scripts/import-cameo.py;')
print('# facts from the CAMEO codebook 1.1b3 and the CAMEO-to-PLOVER table, see NOTICE).')
print('# code\ttype\troot\tquad\tplover\tmode\tcontext\tlabel')
for code in sorted(rows, key=lambda c: (c[:3], c)):
    cat, mode, ctx, label = rows[code]
    print('\t'.join([code, type_of(code), code[:2], str(quad(code[:2])), cat, mode, ctx, label]))
