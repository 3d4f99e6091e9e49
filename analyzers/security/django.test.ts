/**
 * Django and Django REST framework security facts from Python code: permission classes (one per
 * class, custom ones with where they are defined), serializers as validation, Django's password
 * hashers, SecurityMiddleware in the settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

let m: Model;
beforeAll(async () => {
  m = await analyseRepo(
    tempRepo('django-security', {
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
      'requirements.txt': 'Django==5.0\ndjangorestframework==3.15\n',
      'shop/settings.py': [
        'MIDDLEWARE = [',
        "    'django.middleware.security.SecurityMiddleware',",
        "    'django.contrib.sessions.middleware.SessionMiddleware',",
        ']',
        'REST_FRAMEWORK = {',
        '    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),',
        '}',
        '',
      ].join('\n'),
      'orders/permissions.py': [
        'from rest_framework.permissions import BasePermission',
        '',
        '',
        'class IsOwner(BasePermission):',
        '    def has_object_permission(self, request, view, obj):',
        '        return obj.owner == request.user',
        '',
      ].join('\n'),
      'orders/serializers.py': [
        'from rest_framework import serializers',
        '',
        '',
        'class OrderSerializer(serializers.ModelSerializer):',
        '    class Meta:',
        '        fields = ["id", "total"]',
        '',
      ].join('\n'),
      'orders/views.py': [
        'from rest_framework.permissions import AllowAny, IsAdminUser',
        'from rest_framework.views import APIView',
        '',
        'from orders.permissions import IsOwner',
        '',
        '',
        'class OrderDetail(APIView):',
        '    permission_classes = (IsOwner,)',
        '',
        '',
        'class Catalogue(APIView):',
        '    permission_classes = (AllowAny,)',
        '',
        '',
        'class Refunds(APIView):',
        '    permission_classes = [IsAdminUser]',
        '',
      ].join('\n'),
      'accounts/models.py': [
        'from django.contrib.auth.models import AbstractBaseUser, BaseUserManager',
        '',
        '',
        'class UserManager(BaseUserManager):',
        '    def create_user(self, email, password=None):',
        '        user = self.model(email=email)',
        '        user.set_password(password)',
        '        return user',
        '',
      ].join('\n'),
    }),
  );
});

const at = (id: string) => {
  const f = m.security.find((s) => s.id === id);
  return f && `${f.category} ${f.evidence[0]!.file}:${f.evidence[0]!.line}`;
};

describe('Django and REST framework security', () => {
  it('one authorisation fact per permission class a view or the settings use; AllowAny is none; a custom class says where it is defined', () => {
    expect(m.security.filter((s) => s.id.startsWith('security:permission-class:')).map((s) => s.id)).toEqual([
      'security:permission-class:IsAdminUser',
      'security:permission-class:IsAuthenticated',
      'security:permission-class:IsOwner',
    ]);
    expect(at('security:permission-class:IsAuthenticated')).toBe('authorisation shop/settings.py:6');
    expect(m.security.find((s) => s.id === 'security:permission-class:IsOwner')).toMatchObject({
      name: 'Custom DRF permission class IsOwner',
      evidence: [{ file: 'orders/views.py', line: 8 }],
      details: { definedIn: ['orders/permissions.py:4'] },
    });
  });
  it('serializers are input validation, set_password is Django password hashing, SecurityMiddleware sets security headers', () => {
    expect(at('security:validation:drf-serializers')).toBe('validation orders/serializers.py:4');
    expect(at('security:password-hashing:django')).toBe('credentials accounts/models.py:7');
    expect(at('security:headers:django-securitymiddleware')).toBe('transport shop/settings.py:2');
  });
});
